// The people of the demo organisation: mentors with skills and experience, mentees with the
// aspirations they bring, spread over time zones. Plain data; fill-demo.ts turns it into rows.

export interface CastMember {
  externalId: string;
  name: string;
  timezone: string;
  skills: string[];
  qualifications?: string[];
  experienceSummary?: string;
  capacity: number;
}

export const MENTORS: CastMember[] = [
  { externalId: 'HR-1001', name: 'Amara Okafor', timezone: 'Europe/London', skills: ['Leadership', 'Stakeholder management', 'Hiring'], qualifications: ['ILM Level 7 Coaching'], experienceSummary: 'Engineering director; built three teams from scratch.', capacity: 3 },
  { externalId: 'HR-1002', name: 'Kenji Watanabe', timezone: 'Asia/Tokyo', skills: ['Distributed systems', 'Architecture', 'Public speaking'], experienceSummary: 'Principal engineer, conference speaker.', capacity: 3 },
  { externalId: 'HR-1003', name: 'Lucía Fernández', timezone: 'Europe/Madrid', skills: ['Product management', 'Roadmapping', 'Negotiation'], qualifications: ['Pragmatic Institute PMC'], experienceSummary: 'Head of product; moved from design into product.', capacity: 3 },
  { externalId: 'HR-1004', name: 'David Cohen', timezone: 'America/New_York', skills: ['Finance', 'Budgeting', 'Career change'], experienceSummary: 'CFO of a scale-up; changed careers from law.', capacity: 3 },
  { externalId: 'HR-1005', name: 'Priya Raman', timezone: 'Asia/Kolkata', skills: ['Data science', 'Machine learning', 'Mentoring juniors'], qualifications: ['PhD Statistics'], experienceSummary: 'Leads the data platform team.', capacity: 3 },
  { externalId: 'HR-1006', name: 'Tomasz Nowak', timezone: 'Europe/Warsaw', skills: ['Sales', 'Networking', 'Presentations'], experienceSummary: 'Regional sales lead, runs the internal speakers club.', capacity: 3 },
  { externalId: 'HR-1007', name: 'Grace Mensah', timezone: 'Africa/Accra', skills: ['Operations', 'Process design', 'Conflict resolution'], experienceSummary: 'Operations manager across four sites.', capacity: 3 },
  { externalId: 'HR-1008', name: 'Liam O’Brien', timezone: 'America/Los_Angeles', skills: ['Frontend', 'Accessibility', 'Design systems'], experienceSummary: 'Staff engineer, accessibility champion.', capacity: 3 },
];

export const MENTEES: CastMember[] = [
  'Sofia Rossi:Europe/Rome:Frontend,Testing',
  'Noah Schmidt:Europe/Berlin:Backend,Go',
  'Aisha Bello:Africa/Lagos:Customer support,Writing',
  'Mateo García:America/Mexico_City:Sales,Spanish',
  'Chloé Martin:Europe/Paris:Design,Research',
  'Ethan Walker:America/Chicago:Finance,Excel',
  'Yuki Tanaka:Asia/Tokyo:QA,Automation',
  'Olivia Brown:Australia/Sydney:Marketing,Content',
  'Arjun Mehta:Asia/Kolkata:Data analysis,SQL',
  'Emma Johansson:Europe/Stockholm:HR,Recruiting',
  'Lucas Silva:America/Sao_Paulo:DevOps,Kubernetes',
  'Hannah Kim:Asia/Seoul:Product,Analytics',
  'Ibrahim Haddad:Asia/Dubai:Operations,Logistics',
  'Zoe Clarke:Europe/London:Legal,Contracts',
  'Mei Lin:Asia/Shanghai:Mobile,Kotlin',
  'Jonas Weber:Europe/Zurich:Security,Networking',
  'Fatima Zahra:Africa/Casablanca:Finance,Audit',
  'Ben Carter:America/Toronto:Support engineering,Python',
].map((line, index) => {
  const [name, timezone, skills] = line.split(':') as [string, string, string];
  return { externalId: `HR-2${String(index + 1).padStart(3, '0')}`, name, timezone, skills: skills.split(','), capacity: 0 };
});

export const emailOf = (member: CastMember) =>
  `${member.name
    .normalize('NFD')
    .replace(/[^A-Za-z ]/g, '')
    .toLowerCase()
    .replace(/ +/g, '.')}@demo.example`;

/** What mentees say they want, rough at first, as the articles describe. */
export const ASPIRATIONS = [
  'I want a promotion to team lead within the year.',
  'I want to move from support into engineering.',
  'I want to speak at a conference.',
  'I want to get better at managing stakeholders.',
  'I want to change career into product management.',
  'I want to build a network outside my team.',
];
