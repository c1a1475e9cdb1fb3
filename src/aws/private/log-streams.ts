/**
 * Every log stream of one log group. `logs:CreateLogStream` and `logs:PutLogEvents` both act on
 * the stream (`…:log-group:NAME:log-stream:STREAM`), not on the group, so a grant on the bare
 * group ARN allows neither.
 *
 * @param logGroupArn the group's ARN without the `:*` suffix CloudFormation returns
 */
export function logStreamsOf(logGroupArn: string): string {
  return `${logGroupArn}:log-stream:*`;
}
