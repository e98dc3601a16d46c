/**
 * Documented defaults of the input format for coordinate-based travel (docs/problem-format.md, "Travel"):
 * speeds in km/h per built-in profile name, and the detour factor applied to great-circle
 * distance. Part of the input's meaning, shared by the solver and the checker.
 */
export const DEFAULT_SPEED_KMH: Readonly<Record<string, number>> = { car: 40, bike: 15, foot: 4.5 };
export const DEFAULT_CIRCUITY = 1.3;
