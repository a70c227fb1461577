/*
 * The demo portal's backend (the composition is in createDemoBackend.ts).
 */
import { createDemoBackend } from './createDemoBackend';

createDemoBackend().start();
