// A list of label/value facts (a <dl>), as every details panel shows them.
// Never imports node:*, electron or backend code.
import { DataList } from '@mantine/core';

export function FactList({ facts }: { facts: [label: string, value: string][] }) {
  return (
    <DataList labelWidth="14rem">
      {facts.map(([label, value]) => (
        <DataList.Item key={label}>
          <DataList.ItemLabel>{label}</DataList.ItemLabel>
          <DataList.ItemValue>{value}</DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}
