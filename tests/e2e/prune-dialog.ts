// Pruning through the page's Prune dialog as a user does: the estimate comes first and names what would go and
// not what stays; after Prune the result says what went, and the dialog is closed. axe checks both steps.
import { expect, type Page } from '@playwright/test';
import { expectNoSeriousViolationsInBothSchemes } from './axe';

export async function pruneThroughDialog(
  page: Page,
  { button, dialog: title, removes, keeps, result: summary }: { button: string; dialog: string; removes: string; keeps: string; result: RegExp },
): Promise<void> {
  await page.getByRole('button', { name: button }).click();
  const dialog = page.getByRole('dialog', { name: title });
  const estimate = dialog.getByTestId('prune-estimate');
  await expect(estimate).toContainText(removes);
  await expect(estimate).not.toContainText(keeps);
  await expectNoSeriousViolationsInBothSchemes(page);
  await dialog.getByRole('button', { name: 'Prune', exact: true }).click();

  const result = dialog.getByTestId('prune-result');
  await expect(result).toContainText(summary);
  await expect(result.getByText(removes, { exact: true })).toBeVisible();
  await expect(result.getByText(keeps, { exact: true })).toHaveCount(0);
  await expectNoSeriousViolationsInBothSchemes(page);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toHaveCount(0);
}
