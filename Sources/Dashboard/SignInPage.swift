import Mail
/// The only page shown without a key.
public enum SignInPage {
    /// `next`: the page to go on to once signed in.
    public static func render(problem: String? = nil, next: String? = nil) -> String {
        HTML.page(title: "Sign in", tenant: nil, body: """
            <h1>Arrears</h1>
            <p>Sign in with one of your tenant's API keys. It is kept in a cookie for this site only.</p>
            \(problem.map { "<p class=\"error\">\(HTMLText.escape($0))</p>" } ?? "")
            <form method="post" action="/ui/sign-in">
            \(next.map { "<input type=\"hidden\" name=\"next\" value=\"\(HTMLText.escape($0))\">" } ?? "")
            <label>API key <input type="password" name="key" autocomplete="off" size="50" required></label>
            <button>Sign in</button>
            </form>
            """)
    }
}
