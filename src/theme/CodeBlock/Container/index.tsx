// Docusaurus's code block container (theme-classic 3.10), with the id ../index.tsx gives the block,
// so that the browser finds the block the server wrote while the page hydrates. Only the block's own
// container takes it: a container inside the block (Docusaurus's renderer, for line numbers) does not.
import { createContext, useContext, type ComponentProps, type ReactNode } from 'react';
import Container from '@theme-original/CodeBlock/Container';

/** The id of the block being rendered, for its container. */
export const BlockId = createContext<string | undefined>(undefined);

export default function CodeBlockContainer(props: ComponentProps<typeof Container>): ReactNode {
  const id = useContext(BlockId);
  if (id === undefined) return <Container {...props} />;
  return (
    <BlockId.Provider value={undefined}>
      <Container {...props} id={id} />
    </BlockId.Provider>
  );
}
