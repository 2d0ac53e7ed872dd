/** ReadCache namespaces of the public catalog; admin writes bump them. */
export const CATALOG_CACHE = 'catalog';
