import { NhiFinding } from './finding';
import { readCloudAssembly } from './inputs/cloud-assembly';
import { checkAssemblyStacks } from './inputs/run-checks';
import { ownerTagKeysOf, runAwsChecks } from './private/aws-check';

/**
 * One synthesized CloudFormation template to check.
 */
export interface AwsTemplateInput {
  /** The template file. */
  readonly templateFile: string;

  /**
   * The account the stack deploys to, to tell cross-account trust from same-account trust.
   *
   * @default - unknown: cross-account trust is not judged
   */
  readonly account?: string;

  /**
   * The stack's construct path, where findings about the whole stack are reported.
   *
   * @default - the template file's base name without `.template.json`
   */
  readonly stackPath?: string;
}

/**
 * Options of the NHI checks.
 */
export interface NhiCheckerOptions {
  /**
   * The tag keys every owned resource must carry.
   *
   * @default - the gateway's owner tags: `gateward:owner:policy`, `gateward:owner:operations`, `gateward:owner:credential-lifecycle`
   */
  readonly ownerTagKeys?: string[];
}

/**
 * The NHI rule pack over the CloudFormation templates of any CDK app: each role is judged with
 * everything that grants it permissions, trust policies and resources too. Acknowledgements
 * written with `NhiAcknowledgements.acknowledge` are honoured per resource; stale ones are
 * findings, and so are CDK's `Validations.of(x).acknowledge` of gateward rules in a cloud
 * assembly (CDK would apply those to every resource of the app).
 */
export class AwsNhiChecker {
  private readonly ownerTagKeys: string[];

  constructor(options: NhiCheckerOptions = {}) {
    this.ownerTagKeys = ownerTagKeysOf(options);
  }

  /**
   * Findings in a set of templates of one app.
   */
  public checkTemplates(templates: AwsTemplateInput[]): NhiFinding[] {
    return runAwsChecks(this.ownerTagKeys, templates);
  }

  /**
   * Findings in every stack of a cloud assembly directory (`cdk.out`), nested Stage assemblies
   * (the CDK Pipelines layout) included. Throws when the assembly lists no stack or an artifact
   * type the cloud assembly schema does not define: a wrong input never passes as clean.
   */
  public checkCloudAssembly(directory: string): NhiFinding[] {
    return checkAssemblyStacks(this.ownerTagKeys, readCloudAssembly(directory));
  }
}
