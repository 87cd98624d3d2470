import { hasStatus, type GitHub, type RepoRef } from "./github.js";

/**
 * May `login` push to the repository? (admin, maintain or write).
 * https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user
 */
export async function hasWriteAccess(
  octokit: GitHub,
  repo: RepoRef,
  login: string,
): Promise<boolean> {
  let data;
  try {
    ({ data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: login,
    }));
  } catch (error) {
    // 404: no such user (or not visible to the app): no write access.
    if (hasStatus(error, 404)) return false;
    throw error;
  }
  return (
    ["admin", "maintain", "write"].includes(data.role_name ?? "") ||
    ["admin", "write"].includes(data.permission)
  );
}
