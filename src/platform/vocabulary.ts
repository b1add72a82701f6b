/**
 * The network's shared words for what organisations do and whom they reach (the ten activity
 * types of the product brief, the stakeholders), stored as these codes and read from the
 * catalogs (`activity.<code>`, `stakeholder.<code>`). The directory describes organisations
 * with them and the library its resources, so they live in the platform.
 */
export const ACTIVITIES = [
  'advocacy',
  'education',
  'research',
  'memorialisation',
  'network_building',
  'monitoring',
  'technology',
  'training',
  'peacebuilding',
  'justice',
] as const;
export type Activity = (typeof ACTIVITIES)[number];

export const STAKEHOLDERS = [
  'policymakers',
  'parliamentarians',
  'civil_servants',
  'media',
  'affected_communities',
  'diaspora_communities',
  'survivors',
  'young_people',
  'schools_universities',
  'teachers',
  'academics',
  'lawyers_courts',
  'law_enforcement',
  'armed_forces',
  'international_institutions',
  'private_sector',
  'public',
  'ngos',
] as const;
export type Stakeholder = (typeof STAKEHOLDERS)[number];
