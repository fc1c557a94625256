/** The error of reading a model ConvBook cannot use: its message says what is wrong, in words. */
export class OnnxModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxModelError';
  }
}
