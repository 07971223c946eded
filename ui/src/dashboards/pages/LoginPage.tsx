/** The login page: user and password, then back to where the user was sent from (`?redirect=`). */
import { type FormEvent, useState } from "react";
import { useT } from "../../i18n/i18n.ts";
import { navigate, useRoute } from "../../shell/router.tsx";
import { login } from "../api.ts";

/** Logs in with `POST /login`. */
export function LoginPage() {
  const t = useT();
  const route = useRoute();
  const [user, setUser] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await login(user, password);
      const to = new URLSearchParams(route.search).get("redirect") ?? "/";
      navigate(to.startsWith("/") && !to.startsWith("//") ? to : "/");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <form className="dash-login card" onSubmit={submit} data-testid="login">
      <h1>{t("dash.welcome")}</h1>
      <label>
        {t("dash.user")}
        <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label>
        {t("dash.password")}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error !== undefined && (
        <div className="dash-error" data-testid="login-error">
          {error}
        </div>
      )}
      <button type="submit" className="primary">
        {t("dash.login")}
      </button>
    </form>
  );
}
