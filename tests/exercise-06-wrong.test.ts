// Exercise 06's checks fail every plausible wrong design of an idempotent checkout in
// wrong-variants.ts: each keeps its keys somewhere a crash or a second server can separate from
// the order, and must fail exactly the checks that show the fault.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('06');
