import { Button, EmptyState } from '@mantine/core';
import { IconMapPinOff } from '@tabler/icons-react';
import { Link } from 'react-router';

export function NotFoundPage() {
  return (
    <EmptyState
      mt="xl"
      icon={<IconMapPinOff size={32} aria-hidden />}
      withIndicatorBackground
      title="Page not found"
      description="This address does not match any page of the Portal."
    >
      <EmptyState.Actions>
        <Button component={Link} to="/">
          Go to the start page
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
