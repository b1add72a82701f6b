/**
 * The one error type. `messageKey` is a catalog key shown to people in their language;
 * `internal` is for logs only and never reaches a page or an API body.
 */
export interface FieldError {
  key: string;
  values?: Record<string, string | number>;
}

export type FieldErrors = Record<string, FieldError>;

export type ErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'not_found'
  | 'forbidden'
  | 'csrf_failed'
  | 'throttled'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  csrf_failed: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  internal: 500,
};

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly messageKey: string,
    readonly options: { fields?: FieldErrors; internal?: string; retryAfterSeconds?: number } = {},
  ) {
    super(options.internal ?? `${code}: ${messageKey}`);
    this.status = STATUS[code];
  }

  get fields(): FieldErrors {
    return this.options.fields ?? {};
  }

  static invalid(fields: FieldErrors, messageKey = 'errors.form'): AppError {
    return new AppError('invalid_input', messageKey, { fields });
  }

  static field(field: string, key: string, values?: FieldError['values']): AppError {
    return AppError.invalid({ [field]: values ? { key, values } : { key } });
  }

  static notFound(): AppError {
    return new AppError('not_found', 'errors.notFound');
  }

  static throttled(retryAfterSeconds: number, messageKey = 'errors.throttled'): AppError {
    return new AppError('throttled', messageKey, { retryAfterSeconds });
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
