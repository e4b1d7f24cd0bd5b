// The components every MDX page can use without importing them: Docusaurus's own, plus <Diagram>,
// which src/diagrams/remark-plugin.ts puts where a ```mermaid fence was.
import MDXComponents from '@theme-original/MDXComponents';
import Diagram from '@site/src/components/Diagram';

export default { ...MDXComponents, Diagram };
