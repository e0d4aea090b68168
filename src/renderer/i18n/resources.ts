import type { Language } from './languages';
import { en } from './messages/en';
import { fi } from './messages/fi';
import { nb } from './messages/nb';
import { sv, type Messages } from './messages/sv';

export const MESSAGES: Record<Language, Messages> = { sv, nb, fi, en };
