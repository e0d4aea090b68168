/** The signed-in user, always visible in the header: name, role, care unit, organisation; lock and sign out. */
import type { SignedInUser } from '../../shared/session';
import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';

export function useRoleName(): (role: string) => string {
  const { t } = useFormat();
  return (role) => (/^[A-Za-z]+$/.test(role) ? t(`session.roles.${role}`, { defaultValue: role }) : role);
}

export function UserIdentity({ user }: { user: SignedInUser }) {
  const { t } = useFormat();
  const roleName = useRoleName();
  return (
    <span className="user-banner__who">
      <strong className="user-banner__name" data-testid="user-name">
        {user.displayName}
      </strong>
      <span className="user-banner__detail" data-testid="user-role" title={t('session.role')}>
        {roleName(user.role)}
      </span>
      <span className="user-banner__detail" data-testid="user-unit" title={t('session.careUnit')}>
        {user.careUnit.name}
      </span>
      <span className="user-banner__detail" data-testid="user-organisation" title={t('session.organisation')}>
        {user.organisation.name}
      </span>
    </span>
  );
}

export function UserBanner() {
  const { t } = useFormat();
  const session = useSamsyn((s) => s.session);
  const lockSession = useSamsyn((s) => s.lockSession);
  const signOut = useSamsyn((s) => s.signOut);
  const user = session?.user;
  if (!user) return null;
  return (
    <section className="user-banner" aria-label={t('session.bannerLabel')} data-testid="user-banner">
      <UserIdentity user={user} />
      {!session.locked && (
        <button type="button" className="button" onClick={() => void lockSession()} data-testid="session-lock">
          {t('session.lock')}
        </button>
      )}
      <button type="button" className="button" onClick={() => void signOut()} data-testid="session-sign-out">
        {t('session.signOut')}
      </button>
    </section>
  );
}
