'use strict';
// A second, unrelated class that is also called `Item`. V8 records the
// constructor's script location for each object, so DevTools' Summary view
// shows two separate `Item` rows (class keys "scriptId,line,col,Item").

class Item {
  constructor(sku, qty) {
    this.sku = sku;
    this.qty = qty;
    this.warehouse = 'WH-' + (sku % 7);
  }
}

function makeOtherItems(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(new Item(10000 + i, i % 13));
  }
  return out;
}

module.exports = {Item, makeOtherItems};
