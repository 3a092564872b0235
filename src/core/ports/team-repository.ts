/**
 * Teams of people (an administrative service, a volunteer team of the
 * experimentation): members and coordinators by pseudonymous person id.
 */

export interface Team {
  /** Slug of the name, used in chat as `@<id>`. */
  id: string;
  name: string;
  service: string | null;
  /** Experimentation lot (seed 001: "lot initial", "lot 2"…). */
  lot: string | null;
  /** IANA time zone of the team's schedules and quiet hours. */
  timezone: string;
  createdAt: Date;
}

export interface TeamMembership {
  teamId: string;
  personId: string;
  member: boolean;
  coordinator: boolean;
  addedAt: Date;
}

export type TeamRole = 'member' | 'coordinator';

export interface TeamRepository {
  /** Creates the team; false when the id is taken. */
  create(team: Team): Promise<boolean>;
  get(id: string): Promise<Team | null>;
  list(): Promise<Team[]>;
  update(id: string, patch: Partial<Pick<Team, 'name' | 'service' | 'lot' | 'timezone'>>): Promise<Team | null>;
  /** Gives a role (keeps the other one). */
  addRole(teamId: string, personId: string, role: TeamRole, at: Date): Promise<void>;
  /** Takes a role away; the row goes when no role is left. True if the role was held. */
  removeRole(teamId: string, personId: string, role: TeamRole): Promise<boolean>;
  memberships(teamId: string): Promise<TeamMembership[]>;
  /** Teams where the person has any role. */
  membershipsOf(personId: string): Promise<TeamMembership[]>;
  delete(id: string): Promise<boolean>;
}
