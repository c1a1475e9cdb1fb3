/**
 * True when a Terraform resource's `lifecycle` ignores changes to `key` (or to everything): its
 * value is then set outside Terraform, and what the file holds is only the first value written
 * (often a placeholder).
 */
export function ignoresChanges(props: Record<string, unknown>, key: string): boolean {
  // Terraform JSON writes `lifecycle` as an object; HCL read through hcl2json gives a list of blocks.
  const blocks = (Array.isArray(props.lifecycle) ? props.lifecycle : [props.lifecycle]) as Array<Record<string, unknown> | undefined>;
  return blocks.some((block) => {
    const ignored = block?.ignore_changes;
    const names = (Array.isArray(ignored) ? ignored : [ignored]).map((n) => String(n ?? '').replace(/^\$\{|\}$/g, '').trim());
    return names.includes('all') || names.includes(key);
  });
}
