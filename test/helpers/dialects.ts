/** A conversion context of a unit test reads every dialect, as the Node entry's conversions do. */
import type { ConvertContext } from '../../src/convert/context.js';
import { DIALECTS } from '../../src/convert/dialects.js';
import { useDialects } from '../../src/convert/intent/dialect.js';

export function withDialects(ctx: ConvertContext): ConvertContext {
  useDialects(ctx, DIALECTS);
  return ctx;
}
