// An in-memory inventory with reservations: a small, typical piece of TypeScript.

export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
}

export interface StockLine {
  product: Product;
  onHand: number;
  reserved: number;
}

export class OutOfStockError extends Error {
  constructor(readonly sku: string, readonly requested: number, readonly available: number) {
    super(`only ${available} of ${sku} available, ${requested} requested`);
    this.name = 'OutOfStockError';
  }
}

export class Inventory {
  private readonly lines = new Map<string, StockLine>();

  add(product: Product, quantity: number): void {
    if (quantity <= 0) throw new RangeError('quantity must be positive');
    const line = this.lines.get(product.sku);
    if (line) {
      line.onHand += quantity;
    } else {
      this.lines.set(product.sku, { product, onHand: quantity, reserved: 0 });
    }
  }

  available(sku: string): number {
    const line = this.lines.get(sku);
    return line ? line.onHand - line.reserved : 0;
  }

  reserve(sku: string, quantity: number): void {
    const available = this.available(sku);
    if (quantity > available) throw new OutOfStockError(sku, quantity, available);
    this.lines.get(sku)!.reserved += quantity;
  }

  release(sku: string, quantity: number): void {
    const line = this.lines.get(sku);
    if (!line) return;
    line.reserved = Math.max(0, line.reserved - quantity);
  }

  ship(sku: string, quantity: number): void {
    const line = this.lines.get(sku);
    if (!line || line.reserved < quantity) {
      throw new Error(`cannot ship ${quantity} of ${sku}: not reserved`);
    }
    line.reserved -= quantity;
    line.onHand -= quantity;
  }

  totalValueCents(): number {
    let total = 0;
    for (const line of this.lines.values()) {
      total += line.onHand * line.product.priceCents;
    }
    return total;
  }

  lowStock(threshold = 5): Product[] {
    return [...this.lines.values()]
      .filter((line) => line.onHand - line.reserved < threshold)
      .map((line) => line.product)
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

export function formatCents(cents: number, currency = 'USD'): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
