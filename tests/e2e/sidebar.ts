// Opening an area the way a user does: from the sidebar. The click leaves the pointer on the now active entry,
// so an axe check that follows also covers its hovered colours.
import { expect, type Page } from '@playwright/test';

export async function openFromSidebar(page: Page, url: string, area: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: area, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: area, exact: true })).toBeVisible();
}
