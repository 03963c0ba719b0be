/** Usage counters per instance per UTC day, limits and limit notices (see services/stats). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface UsageRepository {}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LimitsRepository {}
