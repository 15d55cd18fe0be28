"""The dealers app's pages, by area: dealers, onboarding, contracts, evaluations,
violations, applications. Every view starts from a scope function in
dealers.selectors (outside → 404), then checks the role (dealers.permissions → 403)."""
