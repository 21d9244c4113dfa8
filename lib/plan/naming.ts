// Names derived from the user's names: construct ids, CloudFormation logical ids and API names share these rules.

/** `order-service` → `OrderService`: what construct ids and logical ids are built from (letters and digits only). */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}
