import convex from '@turf/convex';
import { featureCollection, point } from '@turf/helpers';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Ctx } from '../App.tsx';
import { lonLat, type Plan, type ProblemInput } from '../plan-view.ts';

/** Leaflet writes a string tooltip as HTML: ids and names from a problem go in as text. */
function plain(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}

/**
 * The routes on a map (Leaflet): a line per nurse in her colour from her start through her
 * stops, a dot per stop and a grey ring per left-out visit. Tiles come from the service's
 * HHC_TILE_URL; without one, or when they do not load (no network), a plain background with the
 * territory's outline (the convex hull of every place, with Turf). Selecting a
 * route here selects its nurse on the board, and the other way round.
 */
export function RouteMap(props: {
  ctx: Ctx;
  problem: ProblemInput;
  plan: Plan;
  colours: Map<string, string>;
  selected: string | null;
  onSelect: (nurse: string | null) => void;
}) {
  const { ctx, problem, plan } = props;
  const box = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<L.LayerGroup | null>(null);
  const [fallback, setFallback] = useState(ctx.me.map.tileUrl === undefined);

  useEffect(() => {
    if (box.current === null) return;
    const m = L.map(box.current, { zoomSnap: 0.25, attributionControl: true, keyboard: true });
    map.current = m;
    layers.current = L.layerGroup().addTo(m);
    if (ctx.me.map.tileUrl !== undefined) {
      let failures = 0;
      L.tileLayer(ctx.me.map.tileUrl, { attribution: ctx.me.map.attribution ?? '', maxZoom: 19 })
        .on('tileerror', () => {
          if (++failures >= 4) setFallback(true);
        })
        .addTo(m);
    }
    return () => m.remove();
  }, []);

  useEffect(() => {
    const m = map.current;
    const group = layers.current;
    if (m === null || group === null) return;
    group.clearLayers();
    const visits = new Map(problem.visits.map((v) => [v.id, v]));
    const nurses = new Map(problem.nurses.map((n) => [n.id, n]));
    const all: [number, number][] = [];
    const at = (ll: [number, number] | null) => (ll === null ? null : L.latLng(ll[1], ll[0]));
    for (const v of problem.visits) {
      const ll = lonLat(v.location);
      if (ll !== null) all.push(ll);
    }
    for (const n of problem.nurses) {
      const ll = lonLat(n.start);
      if (ll !== null) all.push(ll);
    }
    if (all.length === 0) return;
    if (fallback && all.length >= 3) {
      const outline = convex(featureCollection(all.map((p) => point(p))));
      if (outline !== null)
        L.geoJSON(outline, {
          style: { color: '#475569', weight: 2, fillColor: '#e2e8f0', fillOpacity: 0.6 },
          interactive: false,
        }).addTo(group);
    }
    for (const route of plan.routes) {
      const colour = props.colours.get(route.vehicle) ?? '#333';
      const nurse = nurses.get(route.vehicle);
      const points = [
        at(lonLat(nurse?.start)),
        ...route.stops.map((s) => at(lonLat(visits.get(s.visit)?.location))),
        at(lonLat(nurse?.end ?? nurse?.start)),
      ].filter((p): p is L.LatLng => p !== null);
      const chosen = props.selected === null || props.selected === route.vehicle;
      const line = L.polyline(points, {
        color: colour,
        weight: props.selected === route.vehicle ? 5 : 3,
        opacity: chosen ? 0.9 : 0.2,
      })
        .bindTooltip(plain(route.vehicle))
        .on('click', () => props.onSelect(route.vehicle))
        .addTo(group);
      void line;
      for (const s of route.stops) {
        const p = at(lonLat(visits.get(s.visit)?.location));
        if (p !== null)
          L.circleMarker(p, {
            radius: 5,
            color: colour,
            fillColor: colour,
            fillOpacity: chosen ? 0.9 : 0.2,
            opacity: chosen ? 1 : 0.3,
          })
            .bindTooltip(plain(`${s.visit} · ${visits.get(s.visit)?.patient ?? ''}`))
            .on('click', () => props.onSelect(route.vehicle))
            .addTo(group);
      }
    }
    for (const u of plan.unassigned) {
      const p = at(lonLat(visits.get(u.visit)?.location));
      if (p !== null)
        L.circleMarker(p, { radius: 6, color: '#64748b', fillOpacity: 0 })
          .bindTooltip(plain(`${u.visit}: ${u.message}`))
          .addTo(group);
    }
    m.fitBounds(L.latLngBounds(all.map(([lon, lat]) => L.latLng(lat, lon))), { padding: [16, 16] });
  }, [problem, plan, props.selected, fallback]);

  return (
    <section class="card map-card" aria-label={ctx.t('map')}>
      <h2 class="sr-only">{ctx.t('map')}</h2>
      <div ref={box} class={`map${fallback ? ' plain' : ''}`} />
      {fallback && <p class="muted small">{ctx.t('tilesFallback')}</p>}
    </section>
  );
}
