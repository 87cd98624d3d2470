import tseslint from "typescript-eslint";

const outsideFaces = ["@actions/*", "probot", "@octokit/*", "@probot/*"];

export default tseslint.config(
  { ignores: ["lib/**", "dist/**", "node_modules/**", "coverage/**"] },
  ...tseslint.configs.strict,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/ban-ts-comment": "error",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Below the faces nothing talks to GitHub (DESIGN.md, "Layers").
    files: ["src/{stats,config,engine,optimize,cache,providers,report,render,migrate}/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: outsideFaces,
              message: "Only faces (src/action, src/cli, bot/) may import GitHub packages.",
            },
          ],
        },
      ],
    },
  },
);
