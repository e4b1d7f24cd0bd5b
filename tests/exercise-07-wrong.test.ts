// Exercise 07's checks fail every wrong answer in wrong-variants.ts: a TTL in the wrong unit or
// read off the wall clock, misses cached for ever or never, an update that never reaches the
// database or leaves a stale copy, a cache that holds one product or is emptied by every update.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('07');
