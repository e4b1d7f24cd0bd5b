// Exercise 02's checks fail every wrong answer in wrong-variants.ts: a backend chosen by its place
// in the pool, in turn, or by the most in flight; a dead backend routed to; no undefined when none
// is healthy; counts compared as strings.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('02');
