import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ProblemCollector } from '../problems/problem-collector';

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
export abstract class ProviderKeyRotation {
  /**
   * Secrets Manager rotates the key on its period by calling your rotation function (which
   * creates a new key with the provider, stores it, and revokes the old one). The function
   * stores JSON, `{"apiKey": "<new key>", "endpoint": "https://<provider API base URL>"}`: the
   * router refuses a bare key.
   */
  public static withFunction(rotationFunction: lambda.IFunction, options: RotationFunctionOptions = {}): ProviderKeyRotation {
    return new FunctionRotation(rotationFunction, options.executionRoleArn ?? rotationFunction.role?.roleArn);
  }

  /**
   * People rotate the key (the credential-lifecycle owner writes the new value). A daily check
   * measures the age of the current value and an alarm fires once it is older than the period.
   */
  public static manual(): ProviderKeyRotation {
    return new ManualRotation();
  }

  /** How the key is rotated, in words: `by function` or `manual`. */
  public abstract readonly description: string;

  /**
   * The function Secrets Manager calls on the key's period; undefined when people rotate the key
   * and its age is watched instead.
   *
   * @internal
   */
  public abstract readonly _rotationFunction?: lambda.IFunction;

  /**
   * The role that rotates the key besides its owner (the function's execution role), which the
   * key's policies let in.
   *
   * @internal
   */
  public abstract readonly _rotatorRoleArn?: string;

  /**
   * Problems with the rotation of the key at `path`.
   *
   * @internal
   */
  public abstract _problems(c: ProblemCollector, path: string): void;
}

class FunctionRotation extends ProviderKeyRotation {
  public readonly description = 'by function';

  constructor(public readonly _rotationFunction: lambda.IFunction, public readonly _rotatorRoleArn: string | undefined) {
    super();
  }

  public _problems(c: ProblemCollector, path: string): void {
    if (!this._rotatorRoleArn) {
      c.add(path, 'withFunction(imported function)', 'the rotation function\'s execution role is unknown, so the key\'s policies cannot let it in',
        'pass { executionRoleArn } to ProviderKeyRotation.withFunction');
    }
  }
}

class ManualRotation extends ProviderKeyRotation {
  public readonly description = 'manual';
  public readonly _rotationFunction = undefined;
  public readonly _rotatorRoleArn = undefined;

  public _problems(): void {}
}
