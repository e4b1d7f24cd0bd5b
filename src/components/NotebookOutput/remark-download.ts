// A link to a notebook file saves it under the notebook's own name. Docusaurus copies a linked file
// into the build with a content hash in its name (`[…](@site/notebooks/03-stateful-servers.ipynb)`
// becomes /assets/files/03-stateful-servers-<hash>.ipynb, so a new version is never served from a
// stale cache), and a plain link would save it under that hashed name. Its transformLinks plugin has
// by then turned the link into <a href={require("…!./…/03-stateful-servers.ipynb").default}>; this
// adds download="03-stateful-servers.ipynb", which the browser uses as the saved file's name.
interface MdNode {
  type: string;
  name?: string | null;
  attributes?: { type: string; name?: string; value?: unknown }[];
  children?: MdNode[];
}

/** The file name of the .ipynb an asset link's href requires, if it requires one. */
export function notebookFileName(href: unknown): string | undefined {
  if (typeof href !== 'object' || href === null) return undefined;
  const source = (href as { type?: string; value?: unknown }).value;
  if (typeof source !== 'string') return undefined;
  // require("<loaders>!./../../notebooks/03-stateful-servers.ipynb").default
  return /require\("[^"]*[!/]([^!/"?#]+\.ipynb)(?:[?#][^"]*)?"\)/.exec(source)?.[1];
}

export default function remarkDownload() {
  return (tree: MdNode) => {
    const visit = (node: MdNode) => {
      if (node.type === 'mdxJsxTextElement' && node.name === 'a') {
        const attributes = node.attributes ?? [];
        const href = attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'href');
        const name = notebookFileName(href?.value);
        if (name && !attributes.some((a) => a.name === 'download'))
          node.attributes = [
            ...attributes,
            { type: 'mdxJsxAttribute', name: 'download', value: name },
          ];
      }
      node.children?.forEach(visit);
    };
    visit(tree);
  };
}
