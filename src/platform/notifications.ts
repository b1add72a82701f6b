import type { DigestKind, Topic } from '../db/schema/notifications.ts';
import type { PersonActor } from './policy.ts';

/**
 * What a digest is made of (ADR 0024). Each module that has news registers a source for its topic
 * (the directory its new members, advocacy the statements open for signing, meetings those coming
 * up and actions due, the library its new resources, surveys those opened and results published,
 * paid work, the convener's announcements); the notifications module asks every source a person chose for what is new for
 * them since their last digest. A source answers with what that person may see, by the same rules
 * as its pages, so a digest never holds what its reader could not open.
 */
export interface DigestItem {
  title: string;
  url: string;
  /** The item's own language, when it has one (a resource, a survey). */
  language?: string;
  /** A catalog key saying what kind of news it is (`digest.item.surveyOpen`), if the topic has several. */
  what?: string;
}

export interface DigestSource {
  topic: Topic;
  /**
   * Whether the person may hear of this topic at all (paid work is for community participants):
   * a topic not offered is not on their preferences page, a choice for it is refused, and it is
   * never in their digest. Offered to everyone when absent.
   */
  offeredTo?(reader: PersonActor): boolean;
  /**
   * Up to `limit` (at least 1) items new in (`since`, `until`] for this person, and how many there
   * are in all. The upper bound is the run's time: what comes after it is the next digest's.
   * `kind` is the digest's (daily or weekly): what is coming up is looked for that far ahead.
   */
  newFor(reader: PersonActor, since: Date, until: Date, limit: number, kind: DigestKind): Promise<{ items: DigestItem[]; total: number }>;
}

export class DigestSources {
  private sources = new Map<Topic, DigestSource>();

  register(source: DigestSource): void {
    this.sources.set(source.topic, source);
  }

  get(topic: Topic): DigestSource | undefined {
    return this.sources.get(topic);
  }
}
