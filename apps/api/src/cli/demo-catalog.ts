/**
 * The demo catalog: Bengaluru dark stores and a grocery assortment. Products are generated from
 * base items × pack sizes so the list stays short here and the catalog realistic (150+ SKUs).
 */
/**
 * The demo customer's address, 340 m from the Indiranagar store (inside its radius, a test checks):
 * the README's tour and the Swagger examples of a location and an address use it, so that trying
 * them on the demo data finds a store.
 */
export const DEMO_ADDRESS = {
  line1: '12, 4th Cross, HAL 2nd Stage',
  city: 'Bengaluru',
  pincode: '560038',
  lat: 12.9698,
  lng: 77.6389,
} as const;

// prettier-ignore
export const DEMO_STORES = [
  { code: 'BLR-IND', name: 'Indiranagar', latitude: 12.9719, longitude: 77.6412, serviceRadiusM: 3500 },
  { code: 'BLR-KOR', name: 'Koramangala', latitude: 12.9352, longitude: 77.6245, serviceRadiusM: 3500 },
  { code: 'BLR-HSR', name: 'HSR Layout', latitude: 12.9116, longitude: 77.6474, serviceRadiusM: 3000 },
  { code: 'BLR-JAY', name: 'Jayanagar', latitude: 12.925, longitude: 77.5938, serviceRadiusM: 3000 },
];

type Item = [name: string, packs: [unit: string, paise: number][]];

// prettier-ignore
export const DEMO_CATEGORIES: { slug: string; name: string; items: Item[] }[] = [
  { slug: 'fruits', name: 'Fresh Fruits', items: [
    ['Banana Robusta', [['6 pcs', 4900], ['12 pcs', 9500]]],
    ['Apple Shimla', [['500 g', 8900], ['1 kg', 16900]]],
    ['Pomegranate', [['500 g', 11900], ['1 kg', 22500]]],
    ['Papaya', [['1 pc', 5900]]],
    ['Alphonso Mango', [['1 kg', 39900], ['2 kg', 74900]]],
    ['Green Grapes', [['500 g', 7900]]],
    ['Kiwi', [['3 pcs', 9900]]],
    ['Watermelon', [['1 pc', 8900]]],
    ['Guava', [['500 g', 6900]]],
  ] },
  { slug: 'vegetables', name: 'Fresh Vegetables', items: [
    ['Onion', [['1 kg', 3900], ['2 kg', 7500]]],
    ['Tomato Hybrid', [['500 g', 2400], ['1 kg', 4500]]],
    ['Potato', [['1 kg', 3500], ['2 kg', 6800]]],
    ['Coriander Leaves', [['100 g', 1200]]],
    ['Green Chilli', [['100 g', 1000]]],
    ['Carrot Ooty', [['500 g', 3900]]],
    ['Cauliflower', [['1 pc', 3500]]],
    ['Spinach', [['250 g', 2500]]],
    ['Capsicum Green', [['250 g', 3500], ['500 g', 6500]]],
    ['Ginger', [['100 g', 1900], ['250 g', 4500]]],
    ['Garlic', [['100 g', 2900], ['250 g', 6900]]],
    ['Lady Finger', [['250 g', 2900]]],
  ] },
  { slug: 'dairy', name: 'Dairy & Eggs', items: [
    ['Toned Milk', [['500 ml', 2800], ['1 l', 5400]]],
    ['Full Cream Milk', [['500 ml', 3400], ['1 l', 6600]]],
    ['Fresh Curd', [['400 g', 3500], ['1 kg', 7800]]],
    ['Paneer', [['200 g', 9000], ['500 g', 21000]]],
    ['Salted Butter', [['100 g', 6000], ['500 g', 27500]]],
    ['Farm Eggs', [['6 pcs', 5400], ['12 pcs', 10200], ['30 pcs', 24000]]],
    ['Cheese Slices', [['200 g', 14500]]],
    ['Greek Yogurt', [['100 g', 5000]]],
    ['Buttermilk', [['200 ml', 1500], ['1 l', 6000]]],
    ['Fresh Cream', [['200 ml', 6500]]],
  ] },
  { slug: 'bakery', name: 'Bread & Bakery', items: [
    ['Whole Wheat Bread', [['400 g', 5000]]],
    ['Multigrain Bread', [['450 g', 6000]]],
    ['Pav', [['6 pcs', 3500]]],
    ['Chocolate Muffin', [['2 pcs', 8000]]],
    ['Rusk Toast', [['200 g', 4500], ['400 g', 8500]]],
    ['Burger Buns', [['4 pcs', 4500]]],
    ['Garlic Bread', [['1 pc', 9900]]],
  ] },
  { slug: 'staples', name: 'Atta, Rice & Dal', items: [
    ['Whole Wheat Atta', [['1 kg', 6500], ['5 kg', 29500], ['10 kg', 56000]]],
    ['Basmati Rice', [['1 kg', 14900], ['5 kg', 69900]]],
    ['Sona Masoori Rice', [['5 kg', 42500], ['10 kg', 82000]]],
    ['Toor Dal', [['500 g', 9900], ['1 kg', 18900]]],
    ['Moong Dal', [['500 g', 8900], ['1 kg', 16900]]],
    ['Chana Dal', [['1 kg', 11900]]],
    ['Besan', [['500 g', 6500], ['1 kg', 12500]]],
    ['Rava', [['500 g', 4500], ['1 kg', 8500]]],
    ['Poha', [['500 g', 5500]]],
    ['Sugar', [['1 kg', 5200], ['5 kg', 25000]]],
  ] },
  { slug: 'oils-masala', name: 'Oils & Masalas', items: [
    ['Sunflower Oil', [['1 l', 16500], ['5 l', 79000]]],
    ['Cold Pressed Groundnut Oil', [['1 l', 29900]]],
    ['Pure Ghee', [['500 ml', 32500], ['1 l', 62500]]],
    ['Turmeric Powder', [['100 g', 3500], ['200 g', 6500]]],
    ['Red Chilli Powder', [['100 g', 4500], ['200 g', 8500]]],
    ['Garam Masala', [['100 g', 8500]]],
    ['Iodised Salt', [['1 kg', 2800]]],
    ['Mustard Oil', [['1 l', 19500]]],
    ['Cumin Seeds', [['100 g', 7500]]],
    ['Sambar Powder', [['100 g', 6500]]],
  ] },
  { slug: 'snacks', name: 'Snacks & Namkeen', items: [
    ['Salted Potato Chips', [['52 g', 2000], ['130 g', 5000]]],
    ['Aloo Bhujia', [['200 g', 5500], ['400 g', 10500]]],
    ['Roasted Peanuts', [['200 g', 6000]]],
    ['Nachos Cheese', [['150 g', 9900]]],
    ['Digestive Biscuits', [['250 g', 6000], ['1 kg', 21000]]],
    ['Cream Biscuits', [['120 g', 3000]]],
    ['Masala Peanuts', [['150 g', 4500]]],
    ['Dark Chocolate', [['80 g', 15000]]],
    ['Popcorn Butter', [['90 g', 4000]]],
  ] },
  { slug: 'beverages', name: 'Cold Drinks & Juices', items: [
    ['Cola', [['750 ml', 4000], ['2.25 l', 9900]]],
    ['Lemon Soda', [['600 ml', 4000]]],
    ['Mixed Fruit Juice', [['1 l', 12500]]],
    ['Tender Coconut Water', [['200 ml', 4500]]],
    ['Packaged Drinking Water', [['1 l', 2000], ['5 l', 8000]]],
    ['Orange Juice', [['1 l', 13500]]],
    ['Energy Drink', [['250 ml', 12500]]],
    ['Cold Coffee', [['200 ml', 5000]]],
  ] },
  { slug: 'tea-coffee', name: 'Tea & Coffee', items: [
    ['Assam Tea', [['250 g', 14000], ['500 g', 26500]]],
    ['Green Tea Bags', [['25 pcs', 16500]]],
    ['Filter Coffee Powder', [['200 g', 17000], ['500 g', 39500]]],
    ['Instant Coffee', [['50 g', 18500], ['100 g', 34000]]],
    ['Masala Chai Premix', [['10 pcs', 15000]]],
    ['Darjeeling Tea', [['100 g', 22500]]],
  ] },
  { slug: 'breakfast', name: 'Breakfast & Sauces', items: [
    ['Corn Flakes', [['475 g', 19500]]],
    ['Rolled Oats', [['1 kg', 19900]]],
    ['Peanut Butter Crunchy', [['340 g', 22500]]],
    ['Tomato Ketchup', [['500 g', 12000], ['1 kg', 17500]]],
    ['Mixed Fruit Jam', [['500 g', 18000]]],
    ['Honey', [['250 g', 13500], ['500 g', 25500]]],
    ['Muesli Fruit & Nut', [['500 g', 32500]]],
    ['Chocolate Spread', [['350 g', 29900]]],
    ['Green Chutney', [['200 g', 9000]]],
  ] },
  { slug: 'frozen', name: 'Frozen & Ice Cream', items: [
    ['Frozen Green Peas', [['500 g', 11000]]],
    ['Veg Momos', [['12 pcs', 15500]]],
    ['Vanilla Ice Cream', [['700 ml', 20000]]],
    ['Chocolate Cone', [['1 pc', 5000], ['4 pcs', 18000]]],
    ['French Fries', [['420 g', 14500]]],
    ['Paneer Tikka', [['250 g', 22500]]],
  ] },
  { slug: 'personal-care', name: 'Personal Care', items: [
    ['Herbal Shampoo', [['180 ml', 14500], ['340 ml', 26500]]],
    ['Bathing Soap', [['3 x 100 g', 15000]]],
    ['Toothpaste Mint', [['150 g', 11000], ['2 x 150 g', 21000]]],
    ['Hand Wash Refill', [['750 ml', 9900]]],
    ['Face Wash Neem', [['100 ml', 17500]]],
    ['Body Lotion', [['200 ml', 21500]]],
    ['Shaving Foam', [['200 g', 19500]]],
    ['Sanitary Pads', [['15 pcs', 17500]]],
  ] },
  { slug: 'household', name: 'Home & Cleaning', items: [
    ['Dishwash Liquid', [['500 ml', 11000], ['2 l', 39900]]],
    ['Detergent Powder', [['1 kg', 13500], ['4 kg', 49500]]],
    ['Floor Cleaner Lemon', [['975 ml', 19900]]],
    ['Garbage Bags Medium', [['30 pcs', 12500]]],
    ['Kitchen Towel Rolls', [['2 rolls', 15000]]],
    ['Toilet Cleaner', [['500 ml', 10500]]],
    ['Aluminium Foil', [['9 m', 9500]]],
    ['Mosquito Repellent Refill', [['45 ml', 8500]]],
  ] },
];

/** Deterministic pseudo-random stock 0..40 (about 1 in 8 out of stock), so re-seeding changes nothing. */
export function demoQuantity(storeCode: string, sku: string): number {
  let h = 2166136261;
  for (const ch of `${storeCode}/${sku}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  const n = (h >>> 0) % 320;
  return n < 40 ? 0 : n % 41;
}
