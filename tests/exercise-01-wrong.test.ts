// Exercise 01's checks fail every wrong answer in wrong-variants.ts: lenient id parsers, swapped
// statuses, errors without { error }, and answers remembered instead of read from the database.
import { proveWrongVariantsFail } from './wrong-variant-suite';

proveWrongVariantsFail('01');
