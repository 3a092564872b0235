/**
 * Teams of people for campaigns and check-ins: created by admins (CLI) or
 * coordinators (chat), members and coordinators given by platform identity
 * (`slack:U024BE7LH`, `web:alice-42`) and stored as pseudonymous person ids.
 */
import { NotFoundError, ValidationError } from '../errors.js';
import type { IdentityService } from '../identity/identity-service.js';
import { PLATFORM_NAMES, type PlatformName } from '../messages/conversation-ref.js';
import type { AuditLog } from '../ports/repositories.js';
import type { Clock } from '../ports/clock.js';
import type { Team, TeamMembership, TeamRepository, TeamRole } from '../ports/team-repository.js';

export interface PlatformIdentity {
  platform: PlatformName;
  externalId: string;
}

/** "Scolarité – Lot 1" → "scolarite-lot-1". */
export function teamSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
}

/**
 * Parses `platform:externalId`; a Slack-style mention `<@U123>` is taken on
 * `defaultPlatform` (the platform the command came from).
 */
export function parseIdentity(text: string, defaultPlatform?: PlatformName): PlatformIdentity {
  const trimmed = text.trim();
  const mention = /^<@([A-Za-z0-9._-]+)(?:\|[^>]*)?>$/.exec(trimmed);
  if (mention && defaultPlatform) return { platform: defaultPlatform, externalId: mention[1]! };
  const colon = trimmed.indexOf(':');
  const platform = trimmed.slice(0, colon) as PlatformName;
  const externalId = trimmed.slice(colon + 1);
  if (colon < 1 || !PLATFORM_NAMES.includes(platform) || externalId.length === 0 || externalId.length > 256) {
    throw new ValidationError('team.bad_identity', `"${trimmed}" is not platform:id (platforms: ${PLATFORM_NAMES.join(', ')})`, { identity: trimmed });
  }
  return { platform, externalId };
}

export interface NewTeam {
  name: string;
  service?: string | null;
  lot?: string | null;
  timezone?: string;
}

export class TeamService {
  constructor(
    private readonly teams: TeamRepository,
    private readonly identities: IdentityService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly defaultTimezone: string,
  ) {}

  async create(input: NewTeam, actorId: string | null): Promise<Team> {
    const id = teamSlug(input.name);
    if (!id) throw new ValidationError('team.bad_name', 'a team name needs letters or digits');
    const timezone = input.timezone ?? this.defaultTimezone;
    if (!isTimeZone(timezone)) throw new ValidationError('team.bad_timezone', `"${timezone}" is not an IANA time zone`);
    const team: Team = { id, name: input.name.trim(), service: input.service ?? null, lot: input.lot ?? null, timezone, createdAt: this.clock.now() };
    if (!(await this.teams.create(team))) throw new ValidationError('team.exists', `a team "${id}" already exists`, { teamId: id });
    await this.audit.record({ actorId, action: 'team.created', subjectType: 'team', subjectId: id, outcome: 'ok', details: {} });
    return team;
  }

  async get(idOrName: string): Promise<Team> {
    const team = await this.teams.get(teamSlug(idOrName));
    if (!team) throw new NotFoundError('team.not_found', `no team "${idOrName}"`, { team: idOrName });
    return team;
  }

  find(idOrName: string): Promise<Team | null> {
    return this.teams.get(teamSlug(idOrName));
  }

  list(): Promise<Team[]> {
    return this.teams.list();
  }

  /** Adds people by platform identity; they become known persons (pseudonymous) if they were not. */
  async add(teamId: string, identities: PlatformIdentity[], role: TeamRole, actorId: string | null): Promise<string[]> {
    const team = await this.get(teamId);
    const personIds: string[] = [];
    for (const identity of identities) {
      const person = await this.identities.resolvePerson(identity.platform, identity.externalId);
      await this.teams.addRole(team.id, person.id, role, this.clock.now());
      personIds.push(person.id);
    }
    await this.audit.record({ actorId, action: 'team.roles_added', subjectType: 'team', subjectId: team.id, outcome: 'ok', details: { role, count: personIds.length } });
    return personIds;
  }

  async remove(teamId: string, identities: PlatformIdentity[], role: TeamRole, actorId: string | null): Promise<number> {
    const team = await this.get(teamId);
    let removed = 0;
    for (const identity of identities) {
      const person = await this.identities.findPerson(identity.platform, identity.externalId);
      if (person && (await this.teams.removeRole(team.id, person.id, role))) removed++;
    }
    await this.audit.record({ actorId, action: 'team.roles_removed', subjectType: 'team', subjectId: team.id, outcome: 'ok', details: { role, count: removed } });
    return removed;
  }

  /** Person ids of platform identities (known persons are created if needed). */
  async resolvePeople(identities: PlatformIdentity[]): Promise<string[]> {
    const ids: string[] = [];
    for (const identity of identities) ids.push((await this.identities.resolvePerson(identity.platform, identity.externalId)).id);
    return ids;
  }

  memberships(teamId: string): Promise<TeamMembership[]> {
    return this.teams.memberships(teamId);
  }

  async memberIds(teamId: string): Promise<string[]> {
    return (await this.teams.memberships(teamId)).filter((m) => m.member).map((m) => m.personId);
  }

  async isCoordinator(teamId: string, personId: string): Promise<boolean> {
    return (await this.teams.memberships(teamId)).some((m) => m.personId === personId && m.coordinator);
  }

  /** Teams the person coordinates. */
  async coordinatedBy(personId: string): Promise<string[]> {
    return (await this.teams.membershipsOf(personId)).filter((m) => m.coordinator).map((m) => m.teamId);
  }
}

export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
