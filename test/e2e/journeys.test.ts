/**
 * The browser journeys, one after another in one test file, so in one worker.
 *
 * Two browsers at once on a two-core machine (chromium's processes, each journey's app and its
 * database) took three to four times as long as one after the other: the journeys ran side by
 * side in separate files, and the suite took most of its time on them. One file keeps one
 * chromium running at a time, while the other worker gets on with the rest of the suite. Each
 * journey still starts its own app and browser (kit.ts startBrowserApp, in its beforeAll).
 */
import './browser.journey.ts';
import './advocacy.journey.ts';
import './meetings.journey.ts';
import './library.journey.ts';
import './surveys.journey.ts';
