declare module 'osrm-text-instructions' {
  interface Compiler {
    compile(
      language: string,
      step: unknown,
      options?: { legCount?: number; legIndex?: number; waypointName?: string },
    ): string;
  }
  export default function osrmTextInstructions(version: 'v5'): Compiler;
}
