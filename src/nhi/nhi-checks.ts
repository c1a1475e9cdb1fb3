import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NhiCheckerOptions } from './aws-checker';
import { CheckedPlane, NhiSeverity } from './finding';
import { NhiReport } from './nhi-report';
import { acknowledgementCall, cdkAcknowledgementsIn, PLUGIN_NAME } from './private/acknowledgements';
import { ownerTagKeysOf, runAwsChecks, templateOfConstruct } from './private/aws-check';
import { NhiRules } from './rules';

/**
 * CDK's severity for a violation it must not suppress. CDK matches `Validations.of(x).acknowledge`
 * by rule id on every resource of the app, and once it has suppressed one violation of a report
 * it passes the rest unless they are `error` or `fatal`. A gateward finding is acknowledged on its
 * own resource with `NhiAcknowledgements`, which `gateward check` reads as well; the gateward
 * severity is in the description and the rule metadata.
 */
const NOT_SUPPRESSIBLE = 'fatal';

/**
 * The NHI rule pack as a CDK validation plugin, the same mechanism as cdk-nag 3:
 * `Validations.of(app).addPlugins(new NhiChecks())`. It runs at synthesis on every stack's
 * template and fails synthesis on any finding that is not acknowledged on its resource with
 * `NhiAcknowledgements.acknowledge`, exactly as `gateward check` judges the cloud assembly.
 * Informational findings are context, not violations: they are listed in the report's
 * metadata (`notes`) and never fail synthesis.
 */
export class NhiChecks implements IPolicyValidationPlugin {
  /** The plugin name in validation reports. */
  public readonly name = PLUGIN_NAME;
  /**
   * The rule pack version.
   *
   * @default '1.0.0'
   */
  public readonly version?: string = '1.0.0';
  /**
   * The ids of the rules the plugin runs.
   *
   * @default - every rule of the pack for CloudFormation (the NHI rules whose plane is AWS), and the rules of no plane
   */
  public readonly ruleIds?: string[];

  private readonly ownerTagKeys: string[];

  constructor(options: NhiCheckerOptions = {}) {
    this.ownerTagKeys = ownerTagKeysOf(options);
    this.ruleIds = NhiRules.all().filter((r) => r.plane === CheckedPlane.AWS || r.plane === undefined).map((r) => r.id);
  }

  /**
   * Checks the app's templates.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const templates = context.stackTemplates.map((stack) => ({
      templateFile: stack.templatePath,
      stackPath: stack.stackConstructPath,
      account: context.accountId,
    }));
    // The same records the cloud assembly carries for the CLI: CDK's acknowledgements of gateward rules.
    const cdkAcknowledgements = context.appConstruct.node.findAll().flatMap((construct) => {
      const file = templateOfConstruct(construct.node.path, templates);
      return file ? cdkAcknowledgementsIn(construct.node.path, file, construct.node.metadata) : [];
    });
    const all = runAwsChecks(this.ownerTagKeys, templates, cdkAcknowledgements);
    const findings = NhiReport.openFindings(all);
    const notes = all.filter((f) => !f.acknowledged && f.severity === NhiSeverity.INFO)
      .map((f) => `${f.ruleId} ${f.location}: ${f.message} (${f.fix})`);
    return {
      success: findings.length === 0,
      violations: findings.map((finding) => ({
        ruleName: finding.ruleId,
        description: `${finding.title}: ${finding.location} ${finding.message} [${finding.severity}; ${finding.nhi}; NIST ${finding.nist.join(', ')}]`,
        fix: `${finding.fix}. To accept it on this resource instead: ${acknowledgementCall(finding)}`,
        severity: NOT_SUPPRESSIBLE,
        ruleMetadata: { severity: finding.severity, nhi: finding.nhi, nist: finding.nist.join(', '), acknowledge: acknowledgementCall(finding) },
        violatingResources: [{ constructPath: finding.location, templatePath: finding.file, locations: [finding.location] }],
      })),
      pluginVersion: this.version,
      ...(notes.length > 0 ? { metadata: { notes: notes.join('\n') } } : {}),
    };
  }
}
