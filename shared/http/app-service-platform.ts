/**
 * What App Service sets in every site's environment (not app settings: the platform writes them, a deployment
 * cannot). Their presence is how the app knows it runs behind App Service's front end.
 */
export function runsInAppService(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.WEBSITE_SITE_NAME || env.WEBSITE_INSTANCE_ID);
}
