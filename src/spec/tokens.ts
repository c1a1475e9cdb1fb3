/**
 * Recognises unresolved tokens of both AWS CDK and CDKTF without importing either library:
 * `spec/` is shared by both planes, and the Vault plane must never load `aws-cdk-lib`.
 *
 * The markers below are the encodings both libraries print (`${Token[...]}`, `${TfToken[...]}`,
 * their list forms, the stringified number form, and the marker bits of encoded numbers).
 * Tests check this function against each library's own `Token.isUnresolved`.
 */

const STRING_MARKERS = ['${Token[', '#{Token[', '${TfToken[', '#{TfToken[', '&{TfToken['];
// AWS CDK stringifies a number token as a huge negative double in this range.
const STRINGIFIED_NUMBER = /-1\.\d{10,16}e\+289/;
// Top 16 bits of the high word of an encoded number token: AWS CDK numbers and CDKTF number
// lists use 0xfbff, CDKTF numbers 0xfdff.
const DOUBLE_MARKERS = [0xfbff, 0xfdff];

/**
 * True when `value` is, or contains, an unresolved AWS CDK or CDKTF token.
 */
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') {
    return STRING_MARKERS.some((marker) => value.includes(marker)) || STRINGIFIED_NUMBER.test(value);
  }
  if (typeof value === 'number') {
    return isEncodedNumber(value);
  }
  if (Array.isArray(value)) {
    return value.some(isUnresolved);
  }
  if (value !== null && typeof value === 'object') {
    return typeof (value as { resolve?: unknown }).resolve === 'function';
  }
  return false;
}

function isEncodedNumber(value: number): boolean {
  const buffer = new ArrayBuffer(8);
  new Float64Array(buffer)[0] = value;
  // Little-endian: index 1 is the high word.
  const highWord = new Uint32Array(buffer)[1];
  return DOUBLE_MARKERS.includes(Math.floor(highWord / 0x10000));
}
