/** Where the onboarding CI workflow is written. */
export const onboardingPath = ".github/workflows/hybrid-pipeline.yml";

/** The Action reference the onboarding workflow uses. */
export const actionRef = "hybrid-pipeline/hybrid-pipeline@v1";

/**
 * A CI workflow that runs the hybrid-pipeline Action on pull requests over `files`
 * (the sticky A/B comment needs `pull-requests: write`).
 */
export function renderOnboardingWorkflow(files: string[]): string {
  return [
    "name: hybrid-pipeline",
    "on:",
    "  pull_request:",
    "permissions:",
    "  contents: read",
    "  pull-requests: write",
    "jobs:",
    "  pipelines:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    `      - uses: ${actionRef}`,
    "        with:",
    "          workflows: |",
    ...files.map((f) => `            ${f}`),
    "          provider: auto",
    "          anthropic-api-key: ${{ secrets.ANTHROPIC_API_KEY }}",
    "",
  ].join("\n");
}
