import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsNhiChecker, NhiCheckerOptions } from './aws-checker';
import { CheckedPlane } from './finding';
import { NhiRules } from './rules';

/**
 * The NHI rule pack as a CDK validation plugin, the same mechanism as cdk-nag 3:
 * `Validations.of(app).addPlugins(new NhiChecks())`. It runs at synthesis on every stack's
 * template and fails synthesis on any finding that is not acknowledged on its resource.
 */
export class NhiChecks implements IPolicyValidationPlugin {
  /** The plugin name in validation reports. */
  public readonly name = 'gateward-nhi';
  /**
   * The rule pack version.
   *
   * @default '1.0.0'
   */
  public readonly version?: string = '1.0.0';
  /**
   * The ids of the rules the plugin runs.
   *
   * @default - every rule of the pack for CloudFormation (the NHI rules whose plane is AWS)
   */
  public readonly ruleIds?: string[];

  private readonly checker: AwsNhiChecker;

  constructor(options: NhiCheckerOptions = {}) {
    this.checker = new AwsNhiChecker(options);
    this.ruleIds = NhiRules.all().filter((r) => r.plane === CheckedPlane.AWS).map((r) => r.id);
  }

  /**
   * Checks the app's templates.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const findings = this.checker.checkTemplates(context.stackTemplates.map((stack) => ({
      templateFile: stack.templatePath,
      stackPath: stack.stackConstructPath,
      account: context.accountId,
    }))).filter((f) => !f.acknowledged);
    return {
      success: findings.length === 0,
      violations: findings.map((finding) => ({
        ruleName: finding.ruleId,
        description: `${finding.title}: ${finding.location} ${finding.message} [${finding.nhi}; NIST ${finding.nist.join(', ')}]`,
        fix: finding.fix,
        severity: finding.severity,
        violatingResources: [{ constructPath: finding.location, templatePath: finding.file, locations: [finding.location] }],
      })),
      pluginVersion: this.version,
    };
  }
}
