/** A duration in words: `15 min`, `1 h`, `30 days`. */
export function duration(seconds: number | undefined): string {
  if (seconds === undefined) return 'no limit the output states';
  if (seconds % 86400 === 0 && seconds >= 86400) return `${seconds / 86400} day${seconds === 86400 ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
