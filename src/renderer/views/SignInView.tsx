/**
 * Sign-in: the local directory's users to choose from (name, role, care unit,
 * organisation), or one "Sign in with PROVIDER" button for OpenID Connect.
 * The lock screen shows the same choice: the same or another user signs in.
 */
import { useFormat } from '../i18n/useFormat';
import { useSamsyn } from '../store/StoreProvider';
import { useRoleName } from '../components/UserBanner';

export function SignInChoice() {
  const { t, error } = useFormat();
  const roleName = useRoleName();
  const session = useSamsyn((s) => s.session);
  const sessionError = useSamsyn((s) => s.sessionError);
  const signInUrl = useSamsyn((s) => s.signInUrl);
  const signIn = useSamsyn((s) => s.signIn);
  if (!session) return null;
  return (
    <div className="sign-in__choice">
      {sessionError && (
        <p className="notice notice--error" role="alert" data-testid="sign-in-error">
          {t('session.signInFailed', { reason: error(sessionError.code) })}
        </p>
      )}
      {session.provider.kind === 'oidc' ? (
        <>
          <button type="button" className="button button--primary" onClick={() => void signIn()} data-testid="sign-in-oidc">
            {t('session.signInWith', { provider: session.provider.name })}
          </button>
          {session.pending && (
            <p className="muted" role="status" data-testid="sign-in-pending">
              {t('session.waitingForBrowser')}{' '}
              {signInUrl && (
                <a href={signInUrl} target="_blank" rel="noopener noreferrer">
                  {t('session.openSignInPage')}
                </a>
              )}
            </p>
          )}
        </>
      ) : (
        <section aria-labelledby="sign-in-users">
          <h2 id="sign-in-users" className="sign-in__heading">
            {t('session.localUsers')}
          </h2>
          <ul className="sign-in__users">
            {(session.users ?? []).map((u) => (
              <li key={u.userId}>
                <button
                  type="button"
                  className="button sign-in__user"
                  onClick={() => void signIn(u.userId)}
                  // Its name is what it shows (name, role, unit, organisation): a label that differs fails WCAG 2.5.3.
                  data-testid={`sign-in-user-${u.userId}`}
                >
                  <strong>{u.displayName}</strong>
                  <span>{roleName(u.role)}</span>
                  <span>{u.careUnit.name}</span>
                  <span>{u.organisation.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

export function SignInView() {
  const { t } = useFormat();
  return (
    <div className="sign-in" data-testid="sign-in-view">
      <h1 className="welcome__title">{t('session.signInTitle')}</h1>
      <p className="welcome__body">{t('session.signInIntro')}</p>
      <SignInChoice />
    </div>
  );
}

/** Locked: no patient view is mounted; the same or another user signs in. */
export function LockScreen() {
  const { t } = useFormat();
  const user = useSamsyn((s) => s.session?.user);
  return (
    <div className="sign-in sign-in--locked" data-testid="lock-screen">
      <h1 className="welcome__title">{t('session.lockedTitle')}</h1>
      <p className="welcome__body">{t('session.lockedBody', { name: user?.displayName ?? '' })}</p>
      <SignInChoice />
    </div>
  );
}
