import { parse } from '@cdktf/hcl2json';

/** The rules a policy's HCL says, as HashiCorp's HCL parser reads them. */
export interface ParsedRule { path: string; capabilities: string[]; allowed?: unknown; denied?: unknown; required?: unknown }

export async function rulesOfHcl(hcl: string): Promise<ParsedRule[]> {
  const parsed = await parse('policy.hcl', hcl) as { path?: Record<string, Array<Record<string, unknown>>> };
  return Object.entries(parsed.path ?? {}).map(([path, blocks]) => {
    if (blocks.length !== 1) throw new Error(`path ${path} has ${blocks.length} blocks`);
    const block = blocks[0];
    return {
      path,
      capabilities: block.capabilities as string[],
      ...(block.allowed_parameters ? { allowed: block.allowed_parameters } : {}),
      ...(block.denied_parameters ? { denied: block.denied_parameters } : {}),
      ...(block.required_parameters ? { required: block.required_parameters } : {}),
    };
  });
}
