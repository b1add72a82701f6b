import type {
  Activity,
  OptionalField,
  OrganisationProfile,
  PreventionShare,
  StaffSize,
  Stakeholder,
} from '../../src/modules/directory/directory.vocabulary.ts';

/**
 * Synthetic organisation profiles for the directory benchmark (10,000 and more). Deterministic:
 * the same `count` and `seed` always give the same profiles, with no dependencies.
 *
 * Shaped like a real directory rather than uniform noise: a few countries, activities and
 * stakeholders are very common and the rest form a long tail (Zipf-like weights, in the order
 * of the lists below); most organisations are small. About 10% of names (and their missions)
 * are in Arabic script and about 5% in Burmese script, so search over non-Latin text is
 * exercised. Names are unique; all are fictional and use reserved domains.
 */

/** mulberry32: a small, fast 32-bit PRNG, good enough for test data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(rnd: Random, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
const int = (rnd: Random, min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));

/** Items with cumulative weights 1/(rank+1)^s: the first few are common, the rest a long tail. */
interface Weighted<T> {
  items: readonly T[];
  cumulative: Float64Array;
  total: number;
}

function zipf<T>(items: readonly T[], s: number): Weighted<T> {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    total += 1 / (i + 1) ** s;
    cumulative[i] = total;
  }
  return { items, cumulative, total };
}

function weightedPick<T>(rnd: Random, w: Weighted<T>): T {
  const target = rnd() * w.total;
  let lo = 0;
  let hi = w.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (w.cumulative[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return w.items[lo]!;
}

/** `n` distinct items by weight (n is small next to the list, so rejection is cheap). */
function weightedSample<T>(rnd: Random, w: Weighted<T>, n: number): T[] {
  const out: T[] = [];
  for (let guard = 0; out.length < n && guard < n * 20; guard++) {
    const item = weightedPick(rnd, w);
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

// Most common first.
const COUNTRIES = zipf(
  [
    'SYR', 'UKR', 'MMR', 'SDN', 'GBR', 'AFG', 'LKA', 'PRK', 'ETH', 'COD', 'IRQ', 'YEM', 'SSD',
    'NGA', 'CHN', 'PSE', 'ISR', 'SOM', 'ERI', 'LBY', 'CAF', 'MLI', 'BFA', 'BDI', 'RWA', 'BIH',
    'KHM', 'GTM', 'TUR', 'LBN', 'IRN', 'VEN', 'NIC', 'HTI', 'CMR', 'MOZ', 'NER', 'TCD', 'PAK',
    'BGD', 'IND', 'PHL', 'COL', 'MEX', 'SRB', 'KEN', 'ARM', 'AZE', 'GEO', 'BLR', 'RUS', 'TJK',
  ] as const,
  1,
);

const ACTIVITY_WEIGHTS = zipf<Activity>(
  ['advocacy', 'research', 'education', 'training', 'monitoring', 'network_building', 'peacebuilding', 'justice', 'technology', 'memorialisation'],
  1,
);

const STAKEHOLDER_WEIGHTS = zipf<Stakeholder>(
  [
    'affected_communities', 'policymakers', 'ngos', 'diaspora_communities', 'public', 'media',
    'young_people', 'survivors', 'international_institutions', 'academics', 'civil_servants',
    'schools_universities', 'parliamentarians', 'lawyers_courts', 'teachers', 'law_enforcement',
    'private_sector', 'armed_forces',
  ],
  0.9,
);

const LANGUAGES = zipf(
  ['en', 'ar', 'fr', 'uk', 'my', 'ru', 'fa', 'ku', 'ta', 'so', 'sw', 'de', 'es', 'am', 'ti', 'ps', 'ko', 'si', 'nl', 'ha', 'tr', 'ur', 'bn', 'ug', 'rw', 'sg', 'he', 'it', 'pt'],
  1.3,
);

const STAFF = zipf<StaffSize>(['1-5', '6-10', '11-25', '26-100', '100+'], 1.8);
/** Arabic-script organisations work on an Arabic-speaking country; Burmese-script ones on Myanmar. */
const AR_COUNTRIES = ['SYR', 'SDN', 'YEM', 'IRQ', 'LBY', 'PSE'];
const SHARES: readonly PreventionShare[] = ['under-25', '25-50', '50-75', 'over-75'];

// Latin-script name parts.
const PLACES = [
  'Riverside', 'Northgate', 'Eastbrook', 'Westmere', 'Highfield', 'Ashford', 'Cedar', 'Harbour',
  'Meridian', 'Lowland', 'Stonebridge', 'Willow', 'Granite', 'Silverdale', 'Oakmont', 'Beacon',
  'Compass', 'Horizon', 'Lantern', 'Keystone', 'Ember', 'Summit', 'Tideway', 'Moorland',
  'Crossroads', 'Larkspur', 'Heron', 'Kingfisher', 'Rowan', 'Thistle', 'Juniper', 'Marigold',
  'Saffron', 'Olive', 'Cypress', 'Delta', 'Estuary', 'Plateau', 'Valley', 'Coastline',
];
const THEMES = [
  'Atrocity Prevention', 'Human Rights', 'Justice', 'Accountability', 'Peace', 'Memory',
  'Early Warning', 'Civilian Protection', 'Diaspora', 'Community', 'Education', 'Dialogue',
  'Documentation', 'Testimony', 'Reconciliation', 'Minority Rights', 'Refugee', 'Youth',
  'Women’s', 'Digital Rights', 'Research', 'Solidarity', 'Truth', 'Remembrance',
];
const KINDS = [
  'Network', 'Forum', 'Trust', 'Foundation', 'Project', 'Initiative', 'Centre', 'Institute',
  'Collective', 'Alliance', 'Coalition', 'Lab', 'Observatory', 'Archive', 'Association',
  'Circle', 'Partnership', 'Council', 'Society', 'Programme',
];

// Arabic-script name parts: "<kind> <theme> <place>", e.g. شبكة العدالة للشباب.
const AR_KINDS = ['شبكة', 'مؤسسة', 'مركز', 'منتدى', 'جمعية', 'مبادرة', 'رابطة', 'مرصد', 'تحالف', 'أرشيف'];
const AR_THEMES = ['العدالة', 'السلام', 'الذاكرة', 'حقوق الإنسان', 'الحماية', 'المساءلة', 'الحوار', 'التوثيق', 'الشهادة', 'الإنذار المبكر', 'التعليم', 'التضامن'];
const AR_PLACES = ['السوري', 'السوداني', 'اليمني', 'العراقي', 'الليبي', 'الفلسطيني', 'للشباب', 'للنساء', 'للجاليات', 'في المهجر', 'الأوروبي', 'المستقل'];
const AR_WORDS = [
  'نعمل', 'مع', 'الجاليات', 'المتضررين', 'من', 'العنف', 'على', 'توثيق', 'الانتهاكات', 'ودعم',
  'الناجين', 'والناجيات', 'وتعزيز', 'العدالة', 'والمساءلة', 'ومنع', 'الفظائع', 'الجماعية',
  'في', 'المملكة', 'المتحدة', 'وأوروبا', 'نبني', 'جسور', 'الثقة', 'بين', 'المجتمعات',
  'والمنظمات', 'ونقدم', 'التدريب', 'والتعليم', 'للشباب', 'والمعلمين', 'ونرفع', 'أصوات',
  'الضحايا', 'إلى', 'صناع', 'القرار', 'والإعلام', 'السلام', 'الذاكرة', 'الحقيقة', 'الكرامة',
];

// Burmese-script name parts.
const MY_NAMES = ['ငြိမ်းချမ်းရေး', 'တရားမျှတမှု', 'လူ့အခွင့်အရေး', 'မှတ်တမ်း', 'ဒီမိုကရေစီ', 'လူငယ်', 'အမျိုးသမီး', 'အမှန်တရား', 'ပညာရေး', 'သက်သေ'];
const MY_KINDS = ['ကွန်ရက်', 'အဖွဲ့', 'ဖောင်ဒေးရှင်း', 'စင်တာ', 'အသင်း', 'စီမံကိန်း'];
const MY_WORDS = [
  'ကျွန်ုပ်တို့သည်', 'မြန်မာနိုင်ငံ', 'လူ့အခွင့်အရေး', 'ချိုးဖောက်မှုများ', 'မှတ်တမ်းတင်', 'အမှန်တရား',
  'တရားမျှတမှု', 'သက်သေအထောက်အထား', 'ဒုက္ခသည်', 'အသိုင်းအဝိုင်း', 'လူငယ်များ', 'ပညာရေး',
  'ငြိမ်းချမ်းရေး', 'အကာအကွယ်', 'လုံခြုံစွာ', 'ပူးပေါင်းဆောင်ရွက်', 'သင်တန်း', 'အမျိုးသမီးများ',
];

const EN_WORDS = [
  'we', 'work', 'with', 'communities', 'affected', 'by', 'mass', 'atrocities', 'and', 'identity-based',
  'violence', 'to', 'document', 'abuses', 'support', 'survivors', 'strengthen', 'accountability',
  'prevent', 'crimes', 'against', 'humanity', 'genocide', 'in', 'the', 'UK', 'Europe', 'diaspora',
  'networks', 'early', 'warning', 'research', 'advocacy', 'policymakers', 'training', 'young',
  'people', 'teachers', 'schools', 'memory', 'justice', 'courts', 'evidence', 'monitoring',
  'media', 'dialogue', 'peace', 'trust', 'refugees', 'women', 'girls', 'minorities', 'testimony',
  'protection', 'civilians', 'partners', 'local', 'organisations', 'open-source', 'investigation',
  'reconciliation', 'truth', 'dignity', 'education', 'history', 'campaigns', 'safe', 'digital',
  'security', 'resilience', 'conflict', 'displacement', 'hate', 'speech', 'elections', 'rights',
];

const sentenceCase = (words: string[]): string => {
  const first = words[0] ?? '';
  return `${first.charAt(0).toUpperCase()}${first.slice(1)} ${words.slice(1).join(' ')}.`;
};

/** 20–60 words, as 2–4 sentences, from the word list of the name's script. */
function mission(rnd: Random, words: readonly string[], latin: boolean): string {
  const total = int(rnd, 20, 60);
  const sentences = int(rnd, 2, 4);
  const parts: string[] = [];
  let left = total;
  for (let s = 0; s < sentences; s++) {
    const n = s === sentences - 1 ? left : Math.max(5, Math.floor(total / sentences));
    left -= n;
    const w: string[] = [];
    for (let i = 0; i < n; i++) w.push(pick(rnd, words));
    if (latin) parts.push(sentenceCase(w));
    else parts.push(`${w.join(' ')}${words === MY_WORDS ? '။' : '.'}`);
    if (left <= 0) break;
  }
  return parts.join(' ');
}

const slugify = (name: string): string =>
  name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

export function generateOrganisations(count: number, seed = 1): OrganisationProfile[] {
  const rnd = mulberry32(seed);
  const used = new Map<string, number>();
  const out: OrganisationProfile[] = [];
  for (let i = 0; i < count; i++) {
    const script = rnd();
    let base: string;
    let words: readonly string[];
    let latin = false;
    let firstLanguage: string | undefined;
    if (script < 0.1) {
      base = `${pick(rnd, AR_KINDS)} ${pick(rnd, AR_THEMES)} ${pick(rnd, AR_PLACES)}`;
      words = AR_WORDS;
      firstLanguage = 'ar';
    } else if (script < 0.15) {
      base = `${pick(rnd, MY_NAMES)} ${pick(rnd, MY_KINDS)}`;
      words = MY_WORDS;
      firstLanguage = 'my';
    } else {
      base = `${pick(rnd, PLACES)} ${pick(rnd, THEMES)} ${pick(rnd, KINDS)}`;
      words = EN_WORDS;
      latin = true;
    }
    // Unique names: the second "Cedar Justice Network" becomes "Cedar Justice Network 2".
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const name = seen === 0 ? base : `${base} ${seen + 1}`;
    const slug = latin ? slugify(name) : `org-${seed}-${i}`;

    const countries: string[] = weightedSample(rnd, COUNTRIES, int(rnd, 1, 4));
    const home = firstLanguage === 'ar' ? pick(rnd, AR_COUNTRIES) : firstLanguage === 'my' ? 'MMR' : undefined;
    if (home && !countries.includes(home)) countries.unshift(home);
    if (countries.length > 4) countries.length = 4;

    const languages = weightedSample(rnd, LANGUAGES, int(rnd, 1, 3));
    if (firstLanguage && !languages.includes(firstLanguage)) languages.unshift(firstLanguage);
    if (languages.length > 3) languages.length = 3;

    const r = rnd();
    const membersOnly: OptionalField[] =
      r < 0.8
        ? ['staffSize', 'preventionShare']
        : r < 0.88
          ? ['staffSize', 'preventionShare', 'contactEmail']
          : r < 0.93
            ? ['staffSize', 'preventionShare', 'yearFounded']
            : r < 0.95
              ? ['staffSize', 'preventionShare', 'countries']
              : [];

    const d = rnd();
    out.push({
      name,
      shortName: rnd() < 0.3 && latin ? name.split(' ').map((w) => w.charAt(0)).join('').toUpperCase() : null,
      mission: mission(rnd, words, latin),
      website: rnd() < 0.9 ? `https://${slug}.example.org` : null,
      yearFounded: rnd() < 0.9 ? int(rnd, 1994, 2024) : null,
      staffSize: rnd() < 0.95 ? weightedPick(rnd, STAFF) : null,
      countries,
      activities: weightedSample(rnd, ACTIVITY_WEIGHTS, int(rnd, 1, 4)),
      stakeholders: weightedSample(rnd, STAKEHOLDER_WEIGHTS, int(rnd, 2, 6)),
      preventionShare: rnd() < 0.95 ? pick(rnd, SHARES) : null,
      languages,
      diasporaLed: d < 0.45 ? true : d < 0.92 ? false : null,
      contactEmail: rnd() < 0.8 ? `info@${slug}.bench.northstar.invalid` : null,
      membersOnly,
    });
  }
  return out;
}
