import { z } from 'zod';

// The strict CSP forbids eval; without this zod probes `new Function` on first
// parse, which the browser reports as a CSP violation even though zod recovers.
z.config({ jitless: true });
