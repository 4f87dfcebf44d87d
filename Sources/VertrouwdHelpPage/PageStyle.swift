import Crypto
import Foundation

/// The page's only style sheet, inline (no external resources), mobile
/// first: one column, large tap targets, visible keyboard focus, system
/// fonts. Its hash goes into the Content-Security-Policy, so no other
/// style (and no script at all) can run on the page.
enum PageStyle {
    static let css = """
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:1.0625rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f6f7f9;overflow-wrap:anywhere}
        header{background:#1f3a5f;color:#fff;padding:1rem 1rem 1.25rem}
        header a{color:#fff}
        .lang{float:right;margin:0 0 .5rem .5rem;font-size:.95rem;padding:.25rem .5rem;border:1px solid #fff;border-radius:.4rem;text-decoration:none}
        h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0 0}
        main{max-width:40rem;margin:0 auto;padding:1rem}
        h2{font-size:1.2rem;margin:1.75rem 0 .5rem}
        .urgent{background:#fff4e5;border-left:.35rem solid #c2410c;padding:.75rem 1rem;margin:0 0 1rem;border-radius:.25rem}
        ol.advice{padding-left:1.4rem;margin:.5rem 0}
        ol.advice li{margin:0 0 .9rem}
        ol.advice strong{display:block}
        ul.contacts{padding-left:1.2rem}
        ul.contacts li{margin:0 0 .6rem}
        a{color:#0b57d0}
        a:focus,input:focus,button:focus{outline:3px solid #c2410c;outline-offset:2px}
        .box{background:#fff;border:1px solid #d5d9e0;border-radius:.5rem;padding:1rem;margin:1rem 0}
        .box h2{margin-top:0}
        fieldset{border:0;padding:0;margin:0 0 1.25rem}
        legend{font-weight:700;margin-bottom:.4rem;padding:0}
        label{display:flex;gap:.6rem;align-items:flex-start;padding:.55rem .6rem;margin:.25rem 0;border:1px solid #d5d9e0;border-radius:.4rem;background:#fff;min-height:2.75rem}
        input[type=radio]{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
        button{font:inherit;font-weight:700;width:100%;padding:.85rem 1rem;border:0;border-radius:.5rem;background:#1f3a5f;color:#fff;min-height:3rem}
        .note{color:#4a5360;font-size:.95rem}
        .error{background:#fde8e8;border-left:.35rem solid #b91c1c;padding:.75rem 1rem;border-radius:.25rem}
        @media (min-width:48rem){h1{font-size:1.8rem}main{padding:1.5rem}}
        """

    /// `'sha256-…'` of `css`, for the Content-Security-Policy.
    static let cspHash: String = {
        let digest = SHA256.hash(data: Data(css.utf8))
        return "'sha256-" + Data(digest).base64EncodedString() + "'"
    }()

    /// The headers every page carries: no script, no outside resource, no
    /// framing, no referrer, no caching (pages hold a form token).
    static let securityHeaders: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; style-src \(cspHash); form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ]
}
