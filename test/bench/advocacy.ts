/**
 * Collective advocacy benchmark (issue 13), `npm run bench -- --advocacy`, on the embedded
 * database and on the PostgreSQL server: 200 published statements with 20 signatory
 * organisations each, 1,000 posts, 10,000 commitments with 5 ratings each. For each page:
 *  - under load (autocannon in a worker thread, LOAD_CONNECTIONS readers at once): requests/s and
 *    the p50/p95 latency of every 2xx answer, taken from each response, not from a histogram;
 *  - one reader at a time (the time one reader waits): p50/p95 over SINGLE_SAMPLES requests;
 *  - compressed size (br and gzip, the larger counted) against the 14 KB budget.
 * The data is generated with a few set-based statements (generate_series and unnest over ids
 * made here), not row by row, so that the generation stays seconds on both databases.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import { contentSha256 } from '../../src/modules/advocacy/canonical.ts';
import { API, BROWSER, BUDGET_BYTES, get, LOAD_CONNECTIONS, LOAD_SECONDS, type LoadFigures, load, round, single, size, WARMUP_SECONDS } from './measure.ts';
import { HOST, withBenchApp } from './temp-app.ts';

export const STATEMENTS = 200;
export const ORGANISATIONS = 30;
export const SIGNATORIES_PER_STATEMENT = 20;
export const POSTS = 1_000;
export const COMMITMENTS = 10_000;
export const RATINGS_PER_COMMITMENT = 5;
const INDIVIDUALS = 200;
const COSIGNERS_PER_STATEMENT = 12;
const PARTIES = 12;
/** Each statement goes to this many posts; the first REPLIES_PER_STATEMENT answer with substance. */
const RECIPIENTS_PER_STATEMENT = 10;
const REPLIES_PER_STATEMENT = 5;
const COMMITMENTS_PER_REPLY = COMMITMENTS / (STATEMENTS * REPLIES_PER_STATEMENT);


const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** ISO 3166-1 alpha-3 codes of countries where the network's members work, with English names. */
const COUNTRIES: [string, string][] = [
  ['SDN', 'Sudan'], ['SSD', 'South Sudan'], ['MMR', 'Myanmar'], ['COD', 'the Democratic Republic of the Congo'], ['ETH', 'Ethiopia'],
  ['SYR', 'Syria'], ['YEM', 'Yemen'], ['AFG', 'Afghanistan'], ['NGA', 'Nigeria'], ['MLI', 'Mali'],
  ['BFA', 'Burkina Faso'], ['NER', 'Niger'], ['TCD', 'Chad'], ['CAF', 'the Central African Republic'], ['SOM', 'Somalia'],
  ['HTI', 'Haiti'], ['UKR', 'Ukraine'], ['IRQ', 'Iraq'], ['PAK', 'Pakistan'], ['LBY', 'Libya'],
  ['CMR', 'Cameroon'], ['MOZ', 'Mozambique'], ['VEN', 'Venezuela'], ['COL', 'Colombia'], ['LKA', 'Sri Lanka'],
  ['BGD', 'Bangladesh'], ['LBN', 'Lebanon'], ['ARM', 'Armenia'], ['BDI', 'Burundi'], ['GTM', 'Guatemala'],
];
const CODES = COUNTRIES.map(([code]) => code);
const COUNTRY_NAMES_AR = [
  'السودان', 'جنوب السودان', 'ميانمار', 'جمهورية الكونغو الديمقراطية', 'إثيوبيا', 'سوريا', 'اليمن', 'أفغانستان', 'نيجيريا', 'مالي',
  'بوركينا فاسو', 'النيجر', 'تشاد', 'جمهورية أفريقيا الوسطى', 'الصومال', 'هايتي', 'أوكرانيا', 'العراق', 'باكستان', 'ليبيا',
  'الكاميرون', 'موزمبيق', 'فنزويلا', 'كولومبيا', 'سريلانكا', 'بنغلاديش', 'لبنان', 'أرمينيا', 'بوروندي', 'غواتيمالا',
];

const FIRST_NAMES = ['Amina', 'Omar', 'Grace', 'Yusuf', 'Mariam', 'Daniel', 'Fatima', 'Samuel', 'Leila', 'Joseph', 'Hana', 'Ibrahim', 'Ruth', 'Khalid', 'Esther', 'Ahmed', 'Nadia', 'Peter', 'Zainab', 'Elias'];
const LAST_NAMES = ['Abdallah', 'Mensah', 'Okafor', 'Haddad', 'Nkurunziza', 'Rahman', 'Tesfaye', 'Kovalenko', 'Osei', 'Farah', 'Mwangi', 'Suleiman', 'Moreno', 'Perera', 'Karimi', 'Diallo', 'Aung', 'Hakimi', 'Banda', 'Petrosyan'];
const PORTFOLIOS = ['Foreign Affairs', 'Justice', 'Interior', 'Defence', 'Humanitarian Affairs', 'Human Rights', 'Education', 'Health'];
const COMMITTEES = ['Foreign Affairs Committee', 'Human Rights Committee', 'Defence Committee', 'Justice Committee', 'International Development Committee', 'Appropriations Committee', 'Intelligence Committee', 'Committee on Refugees'];
const PARTY_NAMES = ['Unity Party', 'Democratic Alliance', 'Labour Front', 'Green Coalition', 'National Renewal', 'Progressive Union', 'Liberal Democrats', 'Social Democrats', 'Reform Movement', 'Peoples Congress', 'Civic Platform', 'Justice and Development'];

/** Paragraphs of a realistic joint statement; a statement takes five of them in turn. */
const PARAGRAPHS_EN = [
  'Our organisations have documented, since the start of the year, a sharp rise in attacks on civilians in {country}: villages burned, markets shelled and aid convoys turned back at checkpoints. The pattern our monitors report matches the early-warning indicators of the Framework of Analysis for Atrocity Crimes, in particular the dehumanising language used against whole communities on national broadcasters.',
  'Survivors told our field teams of killings of men and boys separated from their families, of sexual violence used to drive people from their land, and of the destruction of civil records that would let them prove who they are. These accounts are consistent, detailed and corroborated by satellite imagery published by independent researchers.',
  'The humanitarian situation is deteriorating faster than the response. More than half of the health facilities in the affected areas no longer function, and the rainy season will cut off the last roads within weeks. Local responders, many of them women-led organisations, are carrying the burden without protection or funding.',
  'We recall that every State has a responsibility to protect its populations from genocide, war crimes, ethnic cleansing and crimes against humanity, and that the international community has committed to help States meet it and to act collectively when they manifestly fail. Silence now would be read as permission.',
  'Accountability is not an obstacle to peace; it is a condition for a peace that lasts. Evidence is being lost every day. The people who keep it, often at great personal risk, need safe channels to an impartial mechanism and guarantees that their names will never be exposed.',
  'Diaspora communities have been targeted too: relatives abroad are threatened, and activists who speak out have had their families questioned. Governments hosting these communities can act now, by protecting those at risk and by refusing to treat them as security threats for speaking about what they have seen.',
  'We welcome the steps some of you have already taken, and we are ready to brief your offices, committees and delegations with the evidence we hold, under the confidentiality our sources need. We ask for a written answer, so that we can report honestly to the communities who trusted us with their testimony.',
  'Prevention is cheaper than response, in lives first and in money after. Every crisis our members have followed in the last decade gave warnings months before the worst violence. This one is giving them now; the question is whether those with the power to act will do so in time.',
];
const PARAGRAPHS_AR = [
  'وثّقت منظماتنا منذ بداية العام ارتفاعًا حادًا في الهجمات على المدنيين في {country}: قرى أُحرقت، وأسواق قُصفت، وقوافل إغاثة رُدّت عند الحواجز. ويتطابق النمط الذي يرصده مراقبونا مع مؤشرات الإنذار المبكر في إطار تحليل الجرائم الفظيعة، ولا سيما خطاب نزع الإنسانية الموجّه ضد مجتمعات بأكملها.',
  'روى الناجون لفرقنا الميدانية عمليات قتل لرجال وفتيان فُصلوا عن عائلاتهم، وعنفًا جنسيًا استُخدم لطرد الناس من أرضهم، وإتلافًا للسجلات المدنية التي تثبت هوياتهم. وهذه الشهادات متسقة ومفصّلة وتؤيدها صور الأقمار الصناعية التي نشرها باحثون مستقلون.',
  'يتدهور الوضع الإنساني أسرع من الاستجابة. فأكثر من نصف المرافق الصحية في المناطق المتضررة توقف عن العمل، وسيقطع موسم الأمطار آخر الطرق خلال أسابيع. ويتحمّل المستجيبون المحليون، وكثير منهم منظمات تقودها نساء، العبء دون حماية أو تمويل.',
  'نذكّر بأن على كل دولة مسؤولية حماية سكانها من الإبادة الجماعية وجرائم الحرب والتطهير العرقي والجرائم ضد الإنسانية، وبأن المجتمع الدولي التزم بمساعدة الدول على الوفاء بها وبالتحرك جماعيًا حين تعجز عنها بوضوح. والصمت اليوم سيُفهم إذنًا.',
  'ليست المساءلة عائقًا أمام السلام، بل شرط لسلام يدوم. فالأدلة تضيع كل يوم، ومن يحفظونها، وغالبًا ما يعرّضون أنفسهم لخطر كبير، يحتاجون إلى قنوات آمنة نحو آلية محايدة وضمانات بألا تُكشف أسماؤهم أبدًا.',
  'استُهدفت مجتمعات المهجر أيضًا: يُهدَّد الأقارب في الخارج، واستُجوبت عائلات الناشطين الذين رفعوا أصواتهم. وتستطيع الحكومات التي تستضيف هذه المجتمعات أن تتحرك الآن، بحماية المعرّضين للخطر ورفض معاملتهم كتهديد أمني لأنهم تحدثوا عمّا رأوا.',
  'نرحّب بالخطوات التي اتخذها بعضكم، ونحن مستعدون لإحاطة مكاتبكم ولجانكم ووفودكم بالأدلة التي بين أيدينا، مع السرية التي تحتاجها مصادرنا. ونطلب ردًا مكتوبًا، لنتمكن من إبلاغ المجتمعات التي ائتمنتنا على شهاداتها بأمانة.',
  'الوقاية أقل كلفة من الاستجابة، في الأرواح أولًا ثم في المال. فكل أزمة تابعها أعضاؤنا في العقد الأخير أعطت إنذارات قبل أشهر من أسوأ أعمال العنف. وهذه الأزمة تعطيها الآن؛ والسؤال هو هل سيتحرك أصحاب القدرة على الفعل في الوقت المناسب.',
];
const ASKS_EN = [
  'Publicly condemn attacks on civilians in {country} and name those responsible.',
  'Fund local, women-led responders directly and for at least two years.',
  'Support an independent investigative mechanism and protect those who give it evidence.',
  'Suspend transfers of arms that could be used against civilians.',
  'Grant protection to human rights defenders and their families in the diaspora.',
];
const ASKS_AR = ['إدانة الهجمات على المدنيين في {country} علنًا وتسمية المسؤولين عنها.', 'تمويل المستجيبين المحليين الذين تقودهم نساء مباشرة ولمدة عامين على الأقل.', 'دعم آلية تحقيق مستقلة وحماية من يقدّمون لها الأدلة.'];
const QUOTES = [
  'We will raise the protection of civilians with the government at the next bilateral meeting and report back to you in writing.',
  'My office will table a question to the minister on arms export licences before the end of the session.',
  'The party commits to doubling direct funding for local humanitarian organisations in its next budget proposal.',
  'We support the creation of an independent investigative mechanism and will vote for the resolution establishing it.',
  'The committee will hold a hearing with survivors and civil society organisations within three months.',
  'We will review the asylum guidance for human rights defenders and their families.',
];
const RATINGS = ['in_the_works', 'stalled', 'compromise', 'kept', 'broken'] as const;

function statementContent(i: number, language: 'en' | 'ar') {
  const [, name] = COUNTRIES[i % COUNTRIES.length] as [string, string];
  const code = CODES[i % CODES.length] as string;
  const shown = language === 'ar' ? (COUNTRY_NAMES_AR[i % COUNTRY_NAMES_AR.length] as string) : name;
  const fill = (s: string) => s.replaceAll('{country}', shown);
  const paras = language === 'ar' ? PARAGRAPHS_AR : PARAGRAPHS_EN;
  const para = (k: number) => fill(paras[(i + k) % paras.length] as string);
  const asks = (language === 'ar' ? ASKS_AR : ASKS_EN.slice(i % 2, (i % 2) + 3)).map(fill);
  const report = `https://www.example.org/reports/${code.toLowerCase()}-${2025 + (i % 2)}-${String(1 + (i % 12)).padStart(2, '0')}`;
  const body =
    language === 'ar'
      ? [`## لماذا نكتب إليكم`, para(0), para(1), '## ما وثّقناه', `- ${para(2)}`, `- شهادات جمعها أعضاؤنا، متاحة في [تقريرنا](${report}).`, para(3), '## ما نطلبه', ...asks.map((a, k) => `${k + 1}. ${a}`), '## من نحن', para(4), para(5), para(6)].join('\n\n')
      : [`## Why we are writing`, para(0), para(1), '## What we have documented', `- ${para(2)}`, `- Testimonies gathered by our members, summarised in [our report](${report}).`, para(3), '## What we ask', ...asks.map((a, k) => `${k + 1}. ${a}`), '## Who we are', para(4), para(5), para(6), `> "They came at night and told us that the land was no longer ours." A survivor interviewed by one of our members, ${2024 + (i % 2)}.`].join('\n\n');
  const title = language === 'ar' ? `بيان مشترك بشأن حماية المدنيين في ${shown} (${i + 1})` : `Joint statement on the protection of civilians in ${name} (${i + 1})`;
  const summary =
    language === 'ar'
      ? `تدعو المنظمات الموقّعة إلى التحرك العاجل لحماية المدنيين في ${shown} وضمان المساءلة عن الجرائم الموثّقة.`
      : `The undersigned organisations call for urgent action to protect civilians in ${name} and to secure accountability for the crimes documented.`;
  return { language, title, summary, asks, body };
}

export interface GeneratedAdvocacy {
  statementIds: string[];
  partyIds: string[];
  counts: Record<string, number>;
  seconds: number;
}

/** Fills a fresh, migrated database. Ids are made here so each statement can refer to them by index. */
export async function generateAdvocacy(db: Db): Promise<GeneratedAdvocacy> {
  const started = performance.now();
  const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
  const orgIds = ids(ORGANISATIONS);
  const staffIds = ids(ORGANISATIONS);
  const individualIds = ids(INDIVIDUALS);
  const statementIds = ids(STATEMENTS);
  const partyIds = ids(PARTIES);
  const legislatureIds = ids(COUNTRIES.length);
  const executiveIds = ids(COUNTRIES.length);
  const committeeIds = ids(COMMITTEES.length);
  const postIds = ids(POSTS);
  // The current holder of post g is person g; the first 200 posts had an earlier holder too.
  const previousHolders = 200;
  const personIds = ids(POSTS + previousHolders);
  const uuids = (a: string[]) => sql`${a}::uuid[]`;
  const texts = (a: string[]) => sql`${a}::text[]`;

  // One in seven statements is in Arabic, the others in English.
  const languages = statementIds.map((_, i) => (i % 7 === 3 ? 'ar' : 'en') as 'en' | 'ar');
  const contents = statementIds.map((_, i) => statementContent(i, languages[i] as 'en' | 'ar'));

  await sql`insert into organisations (id, name, slug, status, countries, mission)
    select (${uuids(orgIds)})[g], 'Prevention Network Member ' || g, 'advocacy-bench-' || g, 'member',
           array[(${texts(CODES)})[1 + (g - 1) % ${CODES.length}]], 'Documents early warning signs and advocates for the protection of civilians.'
    from generate_series(1, ${ORGANISATIONS}) g`.execute(db);
  await sql`insert into people (id, display_name, email, network_role)
    select (${uuids(staffIds)})[g], 'Staff member ' || g, 'advocacy-staff-' || g || '@bench.invalid', 'member' from generate_series(1, ${ORGANISATIONS}) g
    union all
    select (${uuids(individualIds)})[g], 'Individual ' || g, 'advocacy-individual-' || g || '@bench.invalid', 'participant' from generate_series(1, ${INDIVIDUALS}) g`.execute(db);
  await sql`insert into memberships (person_id, organisation_id, role)
    select (${uuids(staffIds)})[g], (${uuids(orgIds)})[g], 'org_admin' from generate_series(1, ${ORGANISATIONS}) g`.execute(db);

  // Published between 900 and 300 days ago, so that five ratings, a month apart, lie in the past.
  await sql`insert into statements (id, kind, state, organisation_id, created_by, language, countries, allow_individuals,
                                    circulated_at, published_at, published_version, sent_at, created_at, updated_at)
    select (${uuids(statementIds)})[g],
           (array['joint_statement','open_letter','submission','briefing'])[1 + g % 4],
           'published',
           (${uuids(orgIds)})[1 + (g - 1) % ${ORGANISATIONS}],
           (${uuids(staffIds)})[1 + (g - 1) % ${ORGANISATIONS}],
           (${texts(languages)})[g],
           case when g % 3 = 0 then array[(${texts(CODES)})[1 + (g - 1) % ${CODES.length}]]
                else array[(${texts(CODES)})[1 + (g - 1) % ${CODES.length}], (${texts(CODES)})[1 + (g + 10) % ${CODES.length}]] end,
           g % 4 = 1,
           now() - make_interval(days => 930 - g * 3),
           now() - make_interval(days => 900 - g * 3),
           1,
           now() - make_interval(days => 899 - g * 3),
           now() - make_interval(days => 960 - g * 3),
           now() - make_interval(days => 899 - g * 3)
    from generate_series(1, ${STATEMENTS}) g`.execute(db);
  await sql`insert into statement_drafters (statement_id, organisation_id, state, invited_by, answered_by, created_at, answered_at)
    select id, organisation_id, 'accepted', created_by, created_by, created_at, created_at from statements where id = any(${uuids(statementIds)})`.execute(db);
  await sql`insert into statement_versions (statement_id, number, language, title, summary, body, asks, content_sha256, author_id, author_organisation_id, published_at, created_at)
    select s.id, 1, x.language, x.title, x.summary, x.body, string_to_array(x.asks, E'\n'), x.sha, s.created_by, s.organisation_id, s.published_at, s.circulated_at
    from unnest(${uuids(statementIds)}, ${texts(languages)}, ${texts(contents.map((c) => c.title))}, ${texts(contents.map((c) => c.summary))},
                ${texts(contents.map((c) => c.body))}, ${texts(contents.map((c) => c.asks.join('\n')))}, ${texts(contents.map(contentSha256))})
         as x(statement_id, language, title, summary, body, asks, sha)
    join statements s on s.id = x.statement_id`.execute(db);
  // Twenty organisations sign each statement, each signature bound to the version's hash.
  await sql`insert into statement_signatures (statement_id, version_number, content_sha256, organisation_id, signer_id, appears_as, signed_at)
    select v.statement_id, 1, v.content_sha256, (${uuids(orgIds)})[1 + (g + k) % ${ORGANISATIONS}], (${uuids(staffIds)})[1 + (g + k) % ${ORGANISATIONS}],
           'organisation', v.published_at - make_interval(days => 20 - k)
    from generate_series(1, ${STATEMENTS}) g
    cross join generate_series(0, ${SIGNATORIES_PER_STATEMENT - 1}) k
    join statement_versions v on v.statement_id = (${uuids(statementIds)})[g] and v.number = 1`.execute(db);
  // Where individuals may co-sign: some by name, some by role, some only counted.
  await sql`insert into statement_signatures (statement_id, version_number, content_sha256, person_id, signer_id, appears_as, display_name, display_role, signed_at)
    select v.statement_id, 1, v.content_sha256, p.id, p.id, (array['name','role','counted'])[1 + k % 3],
           case when k % 3 < 2 then p.display_name end,
           case when k % 3 = 1 then (array['Lawyer','Researcher','Journalist','Teacher','Doctor'])[1 + k % 5] end,
           v.published_at - make_interval(days => 10 - k % 10)
    from generate_series(1, ${STATEMENTS}) g
    cross join generate_series(0, ${COSIGNERS_PER_STATEMENT - 1}) k
    join statement_versions v on v.statement_id = (${uuids(statementIds)})[g] and v.number = 1
    join people p on p.id = (${uuids(individualIds)})[1 + ((g - 1) * ${COSIGNERS_PER_STATEMENT} + k) % ${INDIVIDUALS}]
    where g % 4 = 1`.execute(db);

  // ---- recipients: bodies, posts, persons, memberships -------------------------------------
  await sql`insert into advocacy_bodies (id, name, classification)
    select (${uuids(partyIds)})[g], (${texts(PARTY_NAMES)})[g], 'party' from generate_series(1, ${PARTIES}) g
    union all
    select (${uuids(legislatureIds)})[g], 'National Assembly of ' || (${texts(COUNTRIES.map(([, n]) => n))})[g], 'legislature' from generate_series(1, ${COUNTRIES.length}) g
    union all
    select (${uuids(executiveIds)})[g], 'Government of ' || (${texts(COUNTRIES.map(([, n]) => n))})[g], 'executive' from generate_series(1, ${COUNTRIES.length}) g
    union all
    select (${uuids(committeeIds)})[g], (${texts(COMMITTEES)})[g], 'committee' from generate_series(1, ${COMMITTEES.length}) g`.execute(db);
  // 800 members of parliament, 150 ministers, 50 committee chairs.
  await sql`insert into advocacy_posts (id, label, body_id, email)
    select (${uuids(postIds)})[g],
           case when g <= 800 then 'Member of Parliament for constituency ' || g
                when g <= 950 then 'Minister of ' || (${texts(PORTFOLIOS)})[1 + g % ${PORTFOLIOS.length}]
                else 'Chair, ' || (${texts(COMMITTEES)})[1 + g % ${COMMITTEES.length}] end,
           case when g <= 800 then (${uuids(legislatureIds)})[1 + g % ${COUNTRIES.length}]
                when g <= 950 then (${uuids(executiveIds)})[1 + g % ${COUNTRIES.length}]
                else (${uuids(committeeIds)})[1 + g % ${COMMITTEES.length}] end,
           'office-' || g || '@parliament.bench.invalid'
    from generate_series(1, ${POSTS}) g`.execute(db);
  await sql`insert into advocacy_persons (id, name, email)
    select (${uuids(personIds)})[g],
           (${texts(FIRST_NAMES)})[1 + g % ${FIRST_NAMES.length}] || ' ' || (${texts(LAST_NAMES)})[1 + (g * 7 + g / ${LAST_NAMES.length}) % ${LAST_NAMES.length}],
           case when g % 3 = 0 then 'person-' || g || '@mail.bench.invalid' end
    from generate_series(1, ${POSTS + previousHolders}) g`.execute(db);
  // Current holders since 2024, earlier holders 2019–2023, and everyone's party.
  await sql`insert into advocacy_memberships (person_id, post_id, body_id, start_date, end_date)
    select (${uuids(personIds)})[g], (${uuids(postIds)})[g], null::uuid, date '2024-01-01' + (g % 60), null from generate_series(1, ${POSTS}) g
    union all
    select (${uuids(personIds)})[${POSTS} + g], (${uuids(postIds)})[g], null::uuid, date '2019-01-01', date '2023-12-31' from generate_series(1, ${previousHolders}) g
    union all
    select (${uuids(personIds)})[g], null::uuid, (${uuids(partyIds)})[1 + g % ${PARTIES}], date '2015-01-01' + (g % 1000), null from generate_series(1, ${POSTS + previousHolders}) g`.execute(db);

  // ---- delivery, replies, commitments, ratings -------------------------------------------------
  await sql`insert into statement_recipients (statement_id, post_id, person_id, channel, address, delivery, queued_at, sent_at, created_by, created_at)
    select s.id, p.id, (${uuids(personIds)})[1 + ((g - 1) * ${RECIPIENTS_PER_STATEMENT} + k) % ${POSTS}], 'email', p.email, 'sent', s.sent_at, s.sent_at, s.created_by, s.sent_at
    from generate_series(1, ${STATEMENTS}) g
    cross join generate_series(0, ${RECIPIENTS_PER_STATEMENT - 1}) k
    join statements s on s.id = (${uuids(statementIds)})[g]
    join advocacy_posts p on p.id = (${uuids(postIds)})[1 + ((g - 1) * ${RECIPIENTS_PER_STATEMENT} + k) % ${POSTS}]`.execute(db);
  // Five substantive replies per statement and one acknowledgement, all published.
  await sql`insert into statement_replies (recipient_id, kind, body, received_on, link, published, recorded_by, created_at)
    select r.id, case when r.rn <= ${REPLIES_PER_STATEMENT} then 'substantive' else 'acknowledgement' end,
           case when r.rn <= ${REPLIES_PER_STATEMENT}
                then 'Thank you for your letter. ' || ${QUOTES[0]} || ' ' || ${QUOTES[3]} || ' We share your concern and will keep you informed of the steps taken.'
                else 'Thank you for your letter, which has been passed to the relevant department.' end,
           (r.sent_at + make_interval(days => 3 * r.rn::int))::date, 'https://www.example.org/replies/' || r.id, true, r.created_by, r.sent_at + make_interval(days => 3 * r.rn::int)
    from (select *, row_number() over (partition by statement_id order by post_id) rn from statement_recipients) r
    where r.rn <= ${REPLIES_PER_STATEMENT + 1}`.execute(db);
  // Ten commitments per substantive reply, on the post, the person and their party that day.
  // The rating distribution is uneven, as in real trackers: most in the works or kept.
  await sql`insert into commitments (reply_id, quote, summary, post_id, person_id, party_id, countries, rating, rated_on, organisation_id, created_by, created_at)
    select rep.id, (${texts(QUOTES)})[1 + (n % ${QUOTES.length})], 'Commitment ' || k || ' in the reply of ' || pe.name,
           r.post_id, r.person_id, m.body_id, s.countries,
           (array['in_the_works','in_the_works','in_the_works','in_the_works','in_the_works','in_the_works',
                  'stalled','stalled','stalled','compromise','compromise','compromise',
                  'kept','kept','kept','kept','broken','broken','broken','broken'])[1 + n % 20],
           rep.received_on + ${RATINGS_PER_COMMITMENT * 30}::int, s.organisation_id, s.created_by, rep.created_at
    from (select rep.*, k, row_number() over (order by rep.id, k) n
          from statement_replies rep cross join generate_series(1, ${COMMITMENTS_PER_REPLY}) k where rep.kind = 'substantive') rep
    join statement_recipients r on r.id = rep.recipient_id
    join statements s on s.id = r.statement_id
    join advocacy_persons pe on pe.id = r.person_id
    left join advocacy_memberships m on m.person_id = r.person_id and m.post_id is null`.execute(db);
  // Five ratings a month apart; the last is the one copied onto the commitment.
  await sql`insert into commitment_ratings (commitment_id, rating, evidence_url, note, rated_on, organisation_id, rated_by, created_at)
    select c.id,
           case when j = ${RATINGS_PER_COMMITMENT} then c.rating else (${texts([...RATINGS])})[1 + (c.number + j) % 5] end,
           'https://www.example.org/evidence/' || c.number || '/' || j,
           case when j = 1 then 'First assessment from the public record.' else '' end,
           rep.received_on + 30 * j, c.organisation_id, c.created_by, rep.created_at + make_interval(days => 30 * j)
    from commitments c
    join statement_replies rep on rep.id = c.reply_id
    cross join generate_series(1, ${RATINGS_PER_COMMITMENT}) j`.execute(db);
  // Fresh statistics, as autovacuum would have gathered on a database that grew to this size.
  await sql`analyze`.execute(db);

  const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]?.n ?? 0);
  const counts: Record<string, number> = {};
  for (const table of ['organisations', 'statements', 'statement_versions', 'statement_signatures', 'advocacy_posts', 'advocacy_persons', 'advocacy_memberships', 'statement_recipients', 'statement_replies', 'commitments', 'commitment_ratings']) {
    counts[table] = await count(table);
  }
  return { statementIds, partyIds, counts, seconds: round((performance.now() - started) / 1000) };
}

// ---- measuring ---------------------------------------------------------------------------------

export interface AdvocacyBench {
  database: string;
  generated: Record<string, number>;
  generateSeconds: number;
  budgetBytes: number;
  loadConnections: number;
  pages: Record<string, { paths: string[]; size?: Awaited<ReturnType<typeof size>>; single?: Awaited<ReturnType<typeof single>>; load?: LoadFigures; error?: string }>;
  seconds: number;
}

/** Runs on the embedded database, or on a fresh database on the server when adminUrl is given. */
export async function benchAdvocacy(adminUrl?: string): Promise<AdvocacyBench> {
  const started = performance.now();
  const database = adminUrl ? 'PostgreSQL server' : 'embedded (PGlite)';
  return withBenchApp(adminUrl, { DEMO_DATA: 'false' }, async (built) => {
    log(`advocacy: generating ${STATEMENTS} statements, ${POSTS} posts, ${COMMITMENTS} commitments × ${RATINGS_PER_COMMITMENT} ratings (${database})`);
    const generated = await generateAdvocacy(built.platform.db);
    log(`advocacy: generated in ${generated.seconds} s`);
    await built.app.listen({ port: 0, host: HOST });
    const address = built.app.server.address();
    const base = `http://${HOST}:${typeof address === 'object' && address ? address.port : 0}`;
    // 40 statements over the list: English and Arabic, with and without individual co-signers.
    const statements = generated.statementIds.filter((_, i) => i % 5 === 3);
    const party = generated.partyIds[1] as string;
    const targets: [string, string[], Record<string, string>][] = [
      ['statementPage', statements.map((id) => `/statements/${id}`), BROWSER],
      ['statementApi', statements.map((id) => `/api/v1/statements/${id}`), API],
      ['tracker', ['/commitments'], BROWSER],
      ['trackerInTheWorks', ['/commitments?rating=in_the_works'], BROWSER],
      ['trackerCountrySDN', ['/commitments?country=SDN'], BROWSER],
      ['trackerPartyKept', [`/commitments?party=${party}&rating=kept`], BROWSER],
      ['commitmentsApiKept', ['/api/v1/commitments?rating=kept'], API],
    ];
    const pages: AdvocacyBench['pages'] = {};
    for (const [name, paths, headers] of targets) {
      const first = paths[0] as string;
      try {
        // A route not there yet (the module is being built) is noted and skipped, not measured.
        const probe = await get(base, first, headers);
        if (probe.status !== 200) {
          pages[name] = { paths: [first], error: `${first} answered ${probe.status}: not measured` };
          log(`advocacy: ${first} answered ${probe.status}, skipped`);
          continue;
        }
        log(`advocacy: ${name} (${WARMUP_SECONDS}s warm-up + ${LOAD_SECONDS}s, ${LOAD_CONNECTIONS} connections)`);
        const sized = await size(base, first, headers);
        const one = await single(base, paths, headers);
        pages[name] = { paths: paths.length > 1 ? [first, `… ${paths.length} in turn`] : paths, size: sized, single: one, load: await load(base, paths, headers) };
      } catch (err) {
        pages[name] = { paths: [first], error: err instanceof Error ? err.message : String(err) };
      }
    }
    return {
      database,
      generated: generated.counts,
      generateSeconds: generated.seconds,
      budgetBytes: BUDGET_BYTES,
      loadConnections: LOAD_CONNECTIONS,
      pages,
      seconds: round((performance.now() - started) / 1000),
    };
  });
}
