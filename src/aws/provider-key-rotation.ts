import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * How a provider key is rotated.
 */
export enum ProviderKeyRotationMode {
  /** Secrets Manager calls a rotation function you supply, on the key's rotation period. */
  FUNCTION = 'function',
  /** The provider offers no rotation API: people rotate the key, and an alarm fires when it is older than the period. */
  MANUAL = 'manual',
}

/**
 * Options for rotation with a function.
 */
export interface RotationFunctionOptions {
  /**
   * ARN of the function's execution role. The key's secret and KMS policies let exactly this
   * role read and write the key.
   *
   * @default - the role of `rotationFunction`; required when the function is imported and its role unknown
   */
  readonly executionRoleArn?: string;
}

/**
 * The rotation of one provider key. Choose explicitly: the gateway never schedules a rotation it
 * does not perform.
 */
export class ProviderKeyRotation {
  /**
   * Secrets Manager rotates the key on its period by calling your rotation function (which
   * creates a new key with the provider, stores it, and revokes the old one).
   */
  public static withFunction(rotationFunction: lambda.IFunction, options: RotationFunctionOptions = {}): ProviderKeyRotation {
    return new ProviderKeyRotation(ProviderKeyRotationMode.FUNCTION, rotationFunction, options.executionRoleArn ?? rotationFunction.role?.roleArn);
  }

  /**
   * People rotate the key (the credential-lifecycle owner writes the new value). A daily check
   * measures the age of the current value and an alarm fires once it is older than the period.
   */
  public static manual(): ProviderKeyRotation {
    return new ProviderKeyRotation(ProviderKeyRotationMode.MANUAL);
  }

  /** How the key is rotated. */
  public readonly mode: ProviderKeyRotationMode;

  /**
   * The rotation function.
   *
   * @default - none in `MANUAL` mode
   */
  public readonly rotationFunction?: lambda.IFunction;

  /**
   * The rotation function's execution role.
   *
   * @default - none in `MANUAL` mode, or when the function is imported without one
   */
  public readonly executionRoleArn?: string;

  private constructor(mode: ProviderKeyRotationMode, rotationFunction?: lambda.IFunction, executionRoleArn?: string) {
    this.mode = mode;
    this.rotationFunction = rotationFunction;
    this.executionRoleArn = executionRoleArn;
  }
}
