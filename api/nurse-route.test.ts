import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from './test-service.ts';
import { createApiKey } from '../service/api-keys.ts';

const day = JSON.parse(readFileSync(new URL('../fixtures/care/example-day.json', import.meta.url), 'utf8'));
day.visits[0].address = '12 rue Nationale, Lille';
day.visits[0].notes = 'digicode 4512';

/**
 * A stand-in for an OSRM server on loopback: answers /route/v1/driving/<points> with one
 * straight step per leg, in OSRM's response shape, so the API's parsing and text are exercised.
 */
function fakeOsrm(): Promise<Server> {
  const server = createServer((req, res) => {
    const coords = decodeURIComponent(req.url!.split('/route/v1/driving/')[1].split('?')[0])
      .split(';')
      .map((p) => p.split(',').map(Number) as [number, number]);
    const legs = coords.slice(1).map((to, k) => ({
      distance: 1000 * (k + 1),
      duration: 60 * (k + 1),
      steps: [
        {
          maneuver: { type: 'depart', modifier: 'straight', bearing_after: 90, location: coords[k] },
          name: 'Rue Nationale',
          mode: 'driving',
          geometry: { type: 'LineString', coordinates: [coords[k], to] },
        },
        {
          maneuver: { type: 'arrive', modifier: 'right', location: to },
          name: 'Rue Nationale',
          mode: 'driving',
          geometry: { type: 'LineString', coordinates: [to, to] },
        },
      ],
    }));
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ code: 'Ok', routes: [{ legs }] }));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

let svc: TestService;
let app: FastifyInstance;
let withOsrm: FastifyInstance;
let osrm: Server;
let planId: string;
const keys: Record<string, string> = {};
const auth = (who: string) => ({ authorization: `Bearer ${keys[who]}` });

beforeAll(async () => {
  svc = await startTestService();
  const { redis, prefix } = svc;
  osrm = await fakeOsrm();
  app = await svc.app();
  withOsrm = await svc.app({
    osrmUrl: `http://127.0.0.1:${(osrm.address() as AddressInfo).port}`,
  });
  keys.coordinator = await createApiKey(redis, { tenant: 'had-lille', role: 'coordinator' }, prefix);
  keys.claire = await createApiKey(redis, { tenant: 'had-lille', role: 'nurse', nurse: 'claire' }, prefix);
  keys.other = await createApiKey(redis, { tenant: 'had-roubaix', role: 'nurse', nurse: 'claire' }, prefix);
  const res = await app.inject({
    method: 'POST',
    url: '/v1/plans?timeLimit=1&wait=30',
    payload: day,
    headers: auth('coordinator'),
  });
  planId = res.json().planId;
});

afterAll(async () => {
  await app?.close();
  await withOsrm?.close();
  osrm?.close();
  await svc?.close();
});

describe('nurse routes for the mobile app', () => {
  it('gives her ordered stops with times, address and notes, and straight legs without a routing service', async () => {
    const res = await app.inject({ url: `/v1/plans/${planId}/nurses/claire/route`, headers: auth('claire') });
    expect(res.statusCode).toBe(200);
    const view = res.json();
    expect(view).toMatchObject({ nurse: 'claire', routing: 'straight-line', version: 1 });
    expect(view.note).toMatch(/OSRM_URL/);
    expect(view.stops.map((s: { order: number }) => s.order)).toEqual(
      view.stops.map((_: unknown, k: number) => k + 1),
    );
    const first = view.stops.find((s: { visit: string }) => s.visit === 'dupont-insulin-am');
    if (first) expect(first).toMatchObject({ address: '12 rue Nationale, Lille', notes: 'digicode 4512' });
    expect(view.legs.length).toBe(view.stops.length + 1);
    for (const leg of view.legs) {
      expect(leg.distance).toBeGreaterThan(0);
      expect(leg.bearing).toBeGreaterThanOrEqual(0);
      expect(leg.bearing).toBeLessThan(360);
    }
  });

  it('answers GeoJSON on Accept: application/geo+json', async () => {
    const res = await app.inject({
      url: `/v1/plans/${planId}/nurses/claire/route`,
      headers: { ...auth('coordinator'), accept: 'application/geo+json' },
    });
    expect(res.headers['content-type']).toContain('application/geo+json');
    const geo = res.json();
    expect(geo.type).toBe('FeatureCollection');
    const kinds = geo.features.map((f: { geometry: { type: string } }) => f.geometry.type);
    expect(kinds).toContain('Point');
    expect(kinds).toContain('LineString');
  });

  it('with an OSRM-compatible service: road legs and turn-by-turn text in the asked language', async () => {
    const res = await withOsrm.inject({
      url: `/v1/plans/${planId}/nurses/claire/route?lang=fr`,
      headers: auth('claire'),
    });
    const view = res.json();
    expect(view.routing).toBe('osrm');
    expect(view.legs[0].instructions[0]).toMatch(/rue Nationale/i); // e.g. « Se diriger vers l’est sur la rue Nationale »
    expect(view.legs[0].instructions[0]).toMatch(/^(Rouler|Partir|Aller|Prendre|Continuer|Se diriger)/);
  });

  it('a nurse sees only her own route; another tenant sees nothing', async () => {
    expect(
      (await app.inject({ url: `/v1/plans/${planId}/nurses/hugo/route`, headers: auth('claire') }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ url: `/v1/plans/${planId}/nurses/claire/route`, headers: auth('other') }))
        .statusCode,
    ).toBe(404);
    expect((await app.inject({ url: `/v1/plans/${planId}`, headers: auth('claire') })).statusCode).toBe(403);
    expect(
      (await app.inject({ url: `/v1/plans/${planId}/nurses/nobody/route`, headers: auth('coordinator') }))
        .statusCode,
    ).toBe(404);
  });
});
