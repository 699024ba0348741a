import { ROLE } from '../../sandbox/demo-tenant';
import type { Directory } from '../../src/domain/ports';

const ALEX = 'c0a70500-0000-4000-8000-000000000100';
const PATTI = 'c0a70500-0000-4000-8000-000000000104';
const LYNNE = 'c0a70500-0000-4000-8000-000000000105';
const NOBODY = '0badc0de-0000-4000-8000-000000000000';

/**
 * What every Directory promises (ports.ts), over the sandbox's demo tenant (Alex: active Global
 * Administrator; Patti: Compliance Administrator; Lynne: Global Administrator only PIM-eligible).
 */
export function describeDirectoryContract(
  name: string,
  setup: () => Promise<{ readonly directory: Directory; readonly close: () => Promise<void> }>,
): void {
  describe(`the Directory contract over the demo tenant: ${name}`, () => {
    let directory: Directory;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ directory, close } = await setup());
    });
    afterAll(() => close());

    it('finds a person by object id, sign-in name or mail, ignoring case, with what the bot shows', async () => {
      const alex = {
        id: ALEX,
        displayName: 'Alex Wilber',
        userPrincipalName: 'alexw@contoso.com',
        mail: 'alexw@contoso.com',
        jobTitle: 'IT Administrator',
        department: 'IT',
      };
      expect(await directory.findUser(ALEX)).toEqual(alex);
      expect(await directory.findUser(ALEX.toUpperCase())).toEqual(alex);
      expect(await directory.findUser('AlexW@Contoso.com')).toEqual(alex);
      expect(await directory.findUser('  alexw@contoso.com ')).toEqual(alex);
    });

    it('answers undefined for someone it does not know, and for nothing typed', async () => {
      expect(await directory.findUser(NOBODY)).toBeUndefined();
      expect(await directory.findUser("o'brien@contoso.com")).toBeUndefined();
      expect(await directory.findUser('   ')).toBeUndefined();
    });

    it('searches display names by the start of their words, at most `limit` of them', async () => {
      expect((await directory.searchByDisplayName('adele', 10)).map((u) => u.displayName).sort()).toEqual([
        'Adele Vance',
        'Adele Varga',
      ]);
      expect((await directory.searchByDisplayName('ade va', 10)).map((u) => u.displayName).sort()).toEqual([
        'Adele Vance',
        'Adele Varga',
      ]);
      expect((await directory.searchByDisplayName('wilb', 10)).map((u) => u.id)).toEqual([ALEX]);
      expect(await directory.searchByDisplayName('adele', 1)).toHaveLength(1);
      expect(await directory.searchByDisplayName('"; drop', 10)).toEqual([]);
      expect(await directory.searchByDisplayName('   ', 10)).toEqual([]);
    });

    it('reports the roles held now, of those asked: a PIM-eligible role is not held, nor any by an unknown id', async () => {
      const allowed = [ROLE.globalAdministrator, ROLE.complianceAdministrator];
      expect(await directory.heldRoles(ALEX, allowed)).toEqual([ROLE.globalAdministrator]);
      expect(await directory.heldRoles(PATTI, allowed)).toEqual([ROLE.complianceAdministrator]);
      expect(await directory.heldRoles(LYNNE, allowed)).toEqual([]);
      expect(await directory.heldRoles(NOBODY, allowed)).toEqual([]);
      expect(await directory.heldRoles(ALEX, [])).toEqual([]);
    });
  });
}
