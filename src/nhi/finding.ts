/**
 * The OWASP Non-Human Identities Top 10 (2025) items a finding is filed under.
 */
export enum OwaspNhi {
  /** Improper offboarding: identities outlive their workload, unowned and unmonitored. */
  NHI1 = 'NHI1:2025 Improper Offboarding',
  /** Secret leakage: credentials outside sanctioned stores. */
  NHI2 = 'NHI2:2025 Secret Leakage',
  /** Vulnerable third-party NHI: credentials handed to others, confused deputies. */
  NHI3 = 'NHI3:2025 Vulnerable Third-Party NHI',
  /** Insecure authentication: static or weak machine authentication. */
  NHI4 = 'NHI4:2025 Insecure Authentication',
  /** Overprivileged NHI. */
  NHI5 = 'NHI5:2025 Overprivileged NHI',
  /** Insecure cloud deployment configurations. */
  NHI6 = 'NHI6:2025 Insecure Cloud Deployment Configurations',
  /** Long-lived secrets. */
  NHI7 = 'NHI7:2025 Long-Lived Secrets',
  /** Environment isolation. */
  NHI8 = 'NHI8:2025 Environment Isolation',
  /** NHI reuse: one identity shared by several workloads. */
  NHI9 = 'NHI9:2025 NHI Reuse',
  /** Human use of NHI. */
  NHI10 = 'NHI10:2025 Human Use of NHI',
}

/**
 * How bad a finding is.
 */
export enum NhiSeverity {
  /** Takeover of an account, a Vault or every tenant is within reach. */
  CRITICAL = 'critical',
  /** A compromise reaches well beyond the identity's job. */
  HIGH = 'high',
  /** A weakness that widens a compromise or hides it. */
  MEDIUM = 'medium',
  /** A gap in hygiene or evidence. */
  LOW = 'low',
  /**
   * Context, not an NHI problem (e.g. no trail in an application stack, where the trail is
   * usually an account control): printed as a note, SARIF `note`, and it never fails a check.
   */
  INFO = 'info',
}

/**
 * Which kind of synthesized output a rule reads.
 */
export enum CheckedPlane {
  /** CloudFormation templates of a CDK app. */
  AWS = 'aws',
  /** Terraform JSON of Vault configuration. */
  VAULT = 'vault',
}

/**
 * One rule of the NHI rule pack.
 */
export interface NhiRule {
  /** The stable id, e.g. `NHI-IAM-WILDCARD-ACTION`. */
  readonly id: string;
  /** A one-line title. */
  readonly title: string;
  /** The OWASP NHI item. */
  readonly nhi: OwaspNhi;
  /** NIST SP 800-53 Rev. 5 controls it supports. */
  readonly nist: string[];
  /** Default severity (some rules grade each finding). */
  readonly severity: NhiSeverity;
  /**
   * What the rule reads.
   *
   * @default - no plane: the rule judges what both planes carry (acknowledgements)
   */
  readonly plane?: CheckedPlane;
  /** How to fix a finding. */
  readonly fix: string;
}

/**
 * One thing a rule found.
 */
export interface NhiFinding {
  /** The rule's id. */
  readonly ruleId: string;
  /** The rule's title. */
  readonly title: string;
  /** The OWASP NHI item. */
  readonly nhi: OwaspNhi;
  /** NIST SP 800-53 Rev. 5 controls. */
  readonly nist: string[];
  /** How bad it is. */
  readonly severity: NhiSeverity;
  /** Which output it is in. */
  readonly plane: CheckedPlane;
  /** Where: a construct path (CDK) or a Terraform resource address (Vault). */
  readonly location: string;
  /** The synthesized file it is in. */
  readonly file: string;
  /** What is wrong, with the values that make it wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
  /** True when the finding is acknowledged on its resource with a reason. */
  readonly acknowledged: boolean;

  /**
   * Why the finding is acknowledged.
   *
   * @default - not acknowledged
   */
  readonly acknowledgementReason?: string;
}
